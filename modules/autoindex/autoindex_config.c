/*
 * mod_autoindex's directives, per directory, with Apache 2.4's words for
 * what it refuses. Merge, as Apache's merge_autoindex_configs: IndexOptions
 * like Options (keywords without +/- replace the enclosing set, +X/-X
 * change it); the nearer section's icons, alts and descriptions are looked
 * at first; IndexIgnore patterns add up unless IndexIgnoreReset On.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autoindex.h"

static void push(mh_pool *p, ai_list *l, int by, const char *pattern, const char *data)
{
    if (l->count == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        ai_item *grown = ai_api->palloc(p, (size_t)cap * sizeof *grown);
        if (l->count) memcpy(grown, l->items, (size_t)l->count * sizeof *grown);
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->count++] = (ai_item){by, pattern, data};
}

/* `first` then `second`, in a new list. */
static ai_list joined(mh_pool *p, const ai_list *first, const ai_list *second)
{
    ai_list l = {NULL, 0, 0};
    for (int i = 0; i < first->count; i++) push(p, &l, first->items[i].by, first->items[i].pattern, first->items[i].data);
    for (int i = 0; i < second->count; i++) push(p, &l, second->items[i].by, second->items[i].pattern, second->items[i].data);
    return l;
}

/* Apache's push_item: a file name or extension without wildcards matches
 * at the end of the path ("*.gz", "*README"). */
static const char *path_pattern(mh_pool *p, int by, const char *to)
{
    if (by == AI_BY_PATH && strpbrk(to, "*?[") == NULL) return ai_api->psprintf(p, "*%s", to);
    return to;
}

/* ---- IndexOptions ------------------------------------------------------------ */

static const struct { const char *name; unsigned bit; } kOptions[] = {
    {"FancyIndexing", MH_AI_FANCY},
    {"HTMLTable", MH_AI_HTML_TABLE},
    {"FoldersFirst", MH_AI_FOLDERS_FIRST},
    {"IgnoreCase", MH_AI_IGNORE_CASE},
    {"SuppressDescription", MH_AI_SUPPRESS_DESCRIPTION},
    {"SuppressHTMLPreamble", MH_AI_SUPPRESS_PREAMBLE},
    {"VersionSort", MH_AI_VERSION_SORT},
    {"SuppressIcon", MH_AI_SUPPRESS_ICON},
    {"SuppressSize", MH_AI_SUPPRESS_SIZE},
    {"SuppressLastModified", MH_AI_SUPPRESS_LAST_MODIFIED},
    {"SuppressColumnSorting", MH_AI_SUPPRESS_COLUMN_SORTING},
    {"SuppressRules", MH_AI_SUPPRESS_RULES},
    {"IconsAreLinks", MH_AI_ICONS_ARE_LINKS},
    /* Accepted; nothing here depends on them (docs/autoindex.md). */
    {"IgnoreClient", 0}, {"ScanHTMLTitles", 0}, {"ShowForbidden", 0}, {"TrackModified", 0},
    {"XHTML", 0}, {"AddAltClass", 0},
};

/* NameWidth=*|n and DescriptionWidth=*|n; `min` as Apache's check. */
static const char *set_width(mh_pool *p, int *slot, const char *value, char action, const char *name, int min)
{
    if (action == '-') {
        *slot = AI_UNSET;
        return NULL;
    }
    if (value == NULL) return ai_api->psprintf(p, "%s requires a value", name);
    if (strcmp(value, "*") == 0) {
        *slot = 0;
        return NULL;
    }
    char *end;
    long n = strtol(value, &end, 10);
    if (*end || end == value || n > 10000) return ai_api->psprintf(p, "%s value must be a number or '*'", name);
    if (n < min) return ai_api->psprintf(p, "%s value must be greater than %d", name, min);
    *slot = (int)n;
    return NULL;
}

static const char *set_index_options(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    ai_dir *d = dir;
    mh_pool *p = cmd->pool;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        char action = 0;
        if (*w == '+' || *w == '-') action = *w++;
        const char *eq = strchr(w, '=');
        size_t klen = eq ? (size_t)(eq - w) : strlen(w);
        const char *value = eq ? eq + 1 : NULL;
#define KEY(k) (klen == strlen(k) && strncasecmp(w, k, klen) == 0)
        const char *err = NULL;
        if (KEY("None") && !action) {
            d->opts_on = 0;
            d->opts_off = 0;
            d->opts_absolute = 1;
            continue;
        }
        if (KEY("NameWidth")) err = set_width(p, &d->name_width, value, action, "NameWidth", 5);
        else if (KEY("DescriptionWidth")) err = set_width(p, &d->description_width, value, action, "DescriptionWidth", 12);
        else if (KEY("IconWidth") || KEY("IconHeight")) {
            int *slot = KEY("IconWidth") ? &d->icon_width : &d->icon_height;
            *slot = action == '-' ? AI_UNSET : value ? atoi(value) : 0;
        } else if (KEY("Charset")) {
            if (!value || !*value) return "Charset requires a value";
            d->charset = value;
        } else if (KEY("Type")) {
            if (!value || !*value) return "Type requires a value";
            d->type = value;
        } else {
            size_t k = 0, n = sizeof kOptions / sizeof kOptions[0];
            while (k < n && !KEY(kOptions[k].name)) k++;
            if (k == n || value) return "Invalid directory indexing option";
            unsigned bit = kOptions[k].bit;
            if (action == '-') {
                d->opts_on &= ~bit;
                d->opts_off |= bit;
            } else {
                d->opts_on |= bit;
                d->opts_off &= ~bit;
                if (!action) d->opts_absolute = 1;
            }
        }
#undef KEY
        if (err) return err;
    }
    return NULL;
}

static const char *set_order_default(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd;
    (void)argc;
    ai_dir *d = dir;
    if (strcasecmp(argv[0], "Ascending") == 0) d->order_direction = 'A';
    else if (strcasecmp(argv[0], "Descending") == 0) d->order_direction = 'D';
    else return "First keyword must be 'Ascending' or 'Descending'";
    if (strcasecmp(argv[1], "Name") == 0) d->order_column = 'N';
    else if (strcasecmp(argv[1], "Date") == 0) d->order_column = 'M';
    else if (strcasecmp(argv[1], "Size") == 0) d->order_column = 'S';
    else if (strcasecmp(argv[1], "Description") == 0) d->order_column = 'D';
    else return "Second keyword must be 'Name', 'Date', 'Size', or 'Description'";
    return NULL;
}

/* ---- icons, alts, descriptions ------------------------------------------------ */

/* AddIcon* take "(ALT,/icon.gif)" or "/icon.gif"; the alt goes to the alt
 * list too, as in Apache. MH_ITERATE2: once per name. */
static const char *add_icon(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    ai_dir *d = dir;
    int by = (int)cmd->data;
    const char *icon = argv[0];
    const char *pattern = path_pattern(cmd->pool, by, argv[1]);
    if (icon[0] == '(') {
        const char *comma = strchr(icon, ',');
        size_t n = strlen(icon);
        if (comma == NULL || icon[n - 1] != ')') return "AddIcon: expected (ALT,/icon-url) or /icon-url";
        push(cmd->pool, &d->alts, by, pattern, ai_api->pstrndup(cmd->pool, icon + 1, (size_t)(comma - icon - 1)));
        icon = ai_api->pstrndup(cmd->pool, comma + 1, (size_t)(icon + n - 1 - comma - 1));
    }
    push(cmd->pool, &d->icons, by, pattern, icon);
    return NULL;
}

static const char *add_alt(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    ai_dir *d = dir;
    int by = (int)cmd->data;
    push(cmd->pool, &d->alts, by, path_pattern(cmd->pool, by, argv[1]), argv[0]);
    return NULL;
}

static const char *add_description(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    push(cmd->pool, &((ai_dir *)dir)->descriptions, AI_BY_PATH, argv[1], argv[0]);
    return NULL;
}

static const char *add_ignore(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    /* As Apache's ignore_entry: a pattern's last path component is what is
     * matched against each name. */
    const char *slash = strrchr(argv[0], '/');
    push(cmd->pool, &((ai_dir *)dir)->ignore, AI_BY_PATH, slash ? slash + 1 : argv[0], NULL);
    return NULL;
}

static const char *set_ignore_reset(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd;
    (void)argc;
    ((ai_dir *)dir)->ignore_reset = argv[0][1] == 'n' || argv[0][1] == 'N';
    return NULL;
}

#define W MH_WHERE_ANY
const mh_command ai_commands[] = {
    {"IndexOptions", set_index_options, 0, W, MH_TAKE_ARGV, "one or more index options [+|-][]"},
    {"IndexIgnore", add_ignore, 0, W, MH_ITERATE, "one or more file extensions"},
    {"IndexIgnoreReset", set_ignore_reset, 0, W, MH_FLAG, "Reset the inherited list of IndexIgnore filenames"},
    {"IndexOrderDefault", set_order_default, 0, W, MH_TAKE2,
     "{Ascending,Descending} {Name,Size,Description,Date}"},
    {"HeaderName", mh_set_string_slot, offsetof(ai_dir, header_name), W, MH_TAKE1, "a filename"},
    {"ReadmeName", mh_set_string_slot, offsetof(ai_dir, readme_name), W, MH_TAKE1, "a filename"},
    {"DefaultIcon", mh_set_string_slot, offsetof(ai_dir, default_icon), W, MH_TAKE1, "an icon URL"},
    {"AddIcon", add_icon, AI_BY_PATH, W, MH_ITERATE2, "an icon URL followed by one or more filenames"},
    {"AddIconByType", add_icon, AI_BY_TYPE, W, MH_ITERATE2,
     "an icon URL followed by one or more MIME types"},
    {"AddIconByEncoding", add_icon, AI_BY_ENCODING, W, MH_ITERATE2,
     "an icon URL followed by one or more content encodings"},
    {"AddAlt", add_alt, AI_BY_PATH, W, MH_ITERATE2, "alternate descriptive text followed by one or more filenames"},
    {"AddAltByType", add_alt, AI_BY_TYPE, W, MH_ITERATE2,
     "alternate descriptive text followed by one or more MIME types"},
    {"AddAltByEncoding", add_alt, AI_BY_ENCODING, W, MH_ITERATE2,
     "alternate descriptive text followed by one or more content encodings"},
    {"AddDescription", add_description, 0, W, MH_ITERATE2, "Descriptive text followed by one or more filenames"},
    MH_COMMAND_END,
};

void *ai_create_dir(mh_pool *p, const char *section)
{
    (void)section;
    ai_dir *d = ai_api->pcalloc(p, sizeof *d);
    d->name_width = d->description_width = d->icon_width = d->icon_height = AI_UNSET;
    return d;
}

#define NEARER(field, unset) (a->field != (unset) ? a->field : b->field)

void *ai_merge_dir(mh_pool *p, const void *base, const void *add)
{
    const ai_dir *b = base, *a = add;
    ai_dir *d = ai_api->pcalloc(p, sizeof *d);
    if (a->opts_absolute) d->opts_on = a->opts_on;
    else d->opts_on = (b->opts_on | a->opts_on) & ~a->opts_off;
    d->opts_off = 0;
    d->opts_absolute = a->opts_absolute || b->opts_absolute;
    d->name_width = NEARER(name_width, AI_UNSET);
    d->description_width = NEARER(description_width, AI_UNSET);
    d->icon_width = NEARER(icon_width, AI_UNSET);
    d->icon_height = NEARER(icon_height, AI_UNSET);
    d->charset = NEARER(charset, NULL);
    d->type = NEARER(type, NULL);
    d->header_name = NEARER(header_name, NULL);
    d->readme_name = NEARER(readme_name, NULL);
    d->default_icon = NEARER(default_icon, NULL);
    d->order_column = NEARER(order_column, 0);
    d->order_direction = NEARER(order_direction, 0);
    d->ignore_reset = 0;
    d->icons = joined(p, &a->icons, &b->icons);
    d->alts = joined(p, &a->alts, &b->alts);
    d->descriptions = joined(p, &a->descriptions, &b->descriptions);
    static const ai_list none = {NULL, 0, 0};
    d->ignore = joined(p, &a->ignore, a->ignore_reset ? &none : &b->ignore);
    return d;
}
