/*
 * mod_mime's directives, per directory as Apache's. Each Add* line maps one
 * or more extensions ("cgi" or ".cgi", any case) to a value; each Remove*
 * takes back what an enclosing section mapped. Values are lower-cased as
 * Apache's add_extension_info does ("UTF-8" answers "charset=utf-8").
 *
 * Merge, as Apache's merge_mime_dir_configs: the nearer section's mappings
 * override the enclosing one's field by field; its Remove* lines clear the
 * enclosing mappings they name (within one section, the later line wins).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mime.h"

static char *lower_copy(mh_pool *p, const char *s)
{
    char *c = mm_api->pstrdup(p, s);
    for (char *q = c; *q; q++) *q = (char)tolower((unsigned char)*q);
    return c;
}

const mm_ext *mm_find(const mm_dir *d, const char *ext)
{
    for (int i = 0; i < d->count; i++)
        if (strcmp(d->exts[i].ext, ext) == 0) return &d->exts[i];
    return NULL;
}

/* The entry for `ext` (already lower case, no dot), made when missing. */
static mm_ext *entry(mh_pool *p, mm_dir *d, const char *ext)
{
    mm_ext *e = (mm_ext *)mm_find(d, ext);
    if (e) return e;
    if (d->count == d->cap) {
        int cap = d->cap ? d->cap * 2 : 16;
        mm_ext *grown = mm_api->palloc(p, (size_t)cap * sizeof *grown);
        if (d->count) memcpy(grown, d->exts, (size_t)d->count * sizeof *grown);
        d->exts = grown; /* the old array stays in the pool until the configuration goes */
        d->cap = cap;
    }
    e = &d->exts[d->count++];
    memset(e, 0, sizeof *e);
    e->ext = ext;
    return e;
}

static const char *ext_key(mh_pool *p, const char *arg)
{
    if (*arg == '.') arg++;
    return lower_copy(p, arg);
}

/* AddCharset/AddLanguage/AddEncoding/AddHandler/AddOutputFilter/
 * AddInputFilter value ext...: MH_ITERATE2, called once per extension. */
static const char *add_value(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    mm_dir *d = dir;
    int field = (int)cmd->data;
    mm_ext *e = entry(cmd->pool, d, ext_key(cmd->pool, argv[1]));
    /* Filter names keep their case: they are matched without it anyway. */
    e->value[field] = field == MM_OUTPUT_FILTERS || field == MM_INPUT_FILTERS ? argv[0] : lower_copy(cmd->pool, argv[0]);
    e->removed &= ~(1u << field);
    return NULL;
}

/* Remove*: MH_ITERATE, once per extension. `data` is the field's bit. */
static const char *remove_value(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    mm_dir *d = dir;
    unsigned bit = (unsigned)cmd->data;
    mm_ext *e = entry(cmd->pool, d, ext_key(cmd->pool, argv[0]));
    e->removed |= bit;
    for (int f = 0; f < MM_FIELDS; f++)
        if (bit & (1u << f)) e->value[f] = NULL;
    return NULL;
}

static const char *set_default_language(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    ((mm_dir *)dir)->default_language = lower_copy(cmd->pool, argv[0]);
    return NULL;
}

/* MultiviewsMatch Any | NegotiatedOnly | Filters Handlers: checked as
 * Apache's, then unused (there is no MultiViews negotiation here). */
static const char *set_multiviews_match(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    int any = 0, negotiated = 0, other = 0;
    for (int i = 0; i < argc; i++) {
        if (strcasecmp(argv[i], "Any") == 0) any = 1;
        else if (strcasecmp(argv[i], "NegotiatedOnly") == 0) negotiated = 1;
        else if (strcasecmp(argv[i], "Filters") == 0 || strcasecmp(argv[i], "Handlers") == 0) other = 1;
        else return mm_api->psprintf(cmd->pool, "Unrecognized option %s", argv[i]);
        if (any && (negotiated || other)) return "Any is incompatible with NegotiatedOnly, Filters or Handlers";
        if (negotiated && other) return "NegotiatedOnly is incompatible with Any, Filters or Handlers";
    }
    if (argc == 0) return "MultiviewsMatch requires at least one argument";
    return NULL;
}

#define FIELD(f) ((uintptr_t)(f))
#define BIT(f) ((uintptr_t)1u << (f))

const mh_command mm_commands[] = {
    {"AddCharset", add_value, FIELD(MM_CHARSET), MH_WHERE_ANY, MH_ITERATE2,
     "a charset (e.g., iso-2022-jp), followed by one or more file extensions"},
    {"AddEncoding", add_value, FIELD(MM_ENCODING), MH_WHERE_ANY, MH_ITERATE2,
     "an encoding (e.g., gzip), followed by one or more file extensions"},
    {"AddHandler", add_value, FIELD(MM_HANDLER), MH_WHERE_ANY, MH_ITERATE2,
     "a handler name followed by one or more file extensions"},
    {"AddInputFilter", add_value, FIELD(MM_INPUT_FILTERS), MH_WHERE_ANY, MH_ITERATE2,
     "input filter name (or ; delimited names) followed by one or more file extensions"},
    {"AddLanguage", add_value, FIELD(MM_LANGUAGE), MH_WHERE_ANY, MH_ITERATE2,
     "a language (e.g., fr), followed by one or more file extensions"},
    {"AddOutputFilter", add_value, FIELD(MM_OUTPUT_FILTERS), MH_WHERE_ANY, MH_ITERATE2,
     "output filter name (or ; delimited names) followed by one or more file extensions"},
    {"DefaultLanguage", set_default_language, 0, MH_WHERE_ANY, MH_TAKE1,
     "language to use for documents with no other language file extension"},
    {"MultiviewsMatch", set_multiviews_match, 0, MH_WHERE_ANY, MH_TAKE_ARGV,
     "NegotiatedOnly (default), Handlers and/or Filters, or Any"},
    {"RemoveCharset", remove_value, BIT(MM_CHARSET), MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    {"RemoveEncoding", remove_value, BIT(MM_ENCODING), MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    {"RemoveHandler", remove_value, BIT(MM_HANDLER), MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    {"RemoveInputFilter", remove_value, BIT(MM_INPUT_FILTERS), MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    {"RemoveLanguage", remove_value, BIT(MM_LANGUAGE), MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    {"RemoveOutputFilter", remove_value, BIT(MM_OUTPUT_FILTERS), MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    {"RemoveType", remove_value, MM_NO_TYPE, MH_WHERE_ANY, MH_ITERATE,
     "one or more file extensions"},
    MH_COMMAND_END,
};

void *mm_create_dir(mh_pool *p, const char *section)
{
    (void)section;
    return mm_api->pcalloc(p, sizeof(mm_dir));
}

void *mm_merge_dir(mh_pool *p, const void *base_, const void *add_)
{
    const mm_dir *base = base_, *add = add_;
    mm_dir *d = mm_api->pcalloc(p, sizeof *d);
    d->cap = base->count + add->count;
    d->exts = d->cap ? mm_api->palloc(p, (size_t)d->cap * sizeof *d->exts) : NULL;
    if (base->count) memcpy(d->exts, base->exts, (size_t)base->count * sizeof *d->exts);
    d->count = base->count;
    for (int i = 0; i < add->count; i++) {
        const mm_ext *a = &add->exts[i];
        mm_ext *e = entry(p, d, a->ext);
        for (int f = 0; f < MM_FIELDS; f++) {
            if (a->value[f]) e->value[f] = a->value[f];
            else if (a->removed & (1u << f)) e->value[f] = NULL;
        }
        /* RemoveType holds below, where an AddType (the core's) cannot be
         * told apart from the enclosing one. */
        e->removed = (e->removed & MM_NO_TYPE) | (a->removed & MM_NO_TYPE);
    }
    d->default_language = add->default_language ? add->default_language : base->default_language;
    return d;
}
