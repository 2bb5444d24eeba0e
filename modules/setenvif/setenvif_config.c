/*
 * SetEnvIf attribute regex [!]var[=value] ..., SetEnvIfNoCase, BrowserMatch
 * regex ... and BrowserMatchNoCase, parsed as Apache 2.4's
 * add_setenvif_core, with its error messages. Lines in a row with the same
 * attribute, regex and case rule become one entry (their variables are
 * merged, a later value for a name replacing the earlier one), as there.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "setenvif.h"

#define ICASE 0x1u   /* mh_command.data bits */
#define BROWSER 0x2u /* the attribute is User-Agent */

static const char *directive_name(const mh_cmd_parms *cmd)
{
    static const char *const names[] = {"SetEnvIf", "SetEnvIfNoCase", "BrowserMatch", "BrowserMatchNoCase"};
    return names[cmd->data & 3u];
}

/* [master] */
static void *grow(mh_pool *p, void *items, int n, int *cap, size_t size)
{
    if (n < *cap) return items;
    int c = *cap ? *cap * 2 : 4;
    void *grown = se_api->palloc(p, size * (size_t)c);
    if (n) memcpy(grown, items, size * (size_t)n);
    *cap = c;
    return grown;
}

/* Apache's non_regex_pattern: the text to search for when `s` uses no
 * regex syntax (a backslash escapes the syntax characters), else NULL. */
static const char *plain_pattern(mh_pool *p, const char *s)
{
    int escapes = 0, in_escape = 0;
    for (const char *c = s; *c; ++c) {
        if (strchr("^.$|()[]*+?{}", *c)) {
            if (!in_escape) return NULL;
            in_escape = 0;
        } else if (*c == '\\') {
            in_escape = !in_escape;
            escapes = 1;
        } else if (in_escape) {
            return NULL;
        }
    }
    if (!escapes) return s;
    char *out = se_api->pstrdup(p, s), *d = out;
    for (const char *c = s;; ++c) {
        if (*c == '\\') ++c;
        if ((*d++ = *c) == '\0') break;
    }
    return out;
}

static se_attribute attribute_of(const char *name)
{
    static const struct {
        const char *name;
        se_attribute a;
    } special[] = {
        {"remote_addr", SE_REMOTE_ADDR},       {"remote_host", SE_REMOTE_HOST},
        {"server_addr", SE_SERVER_ADDR},       {"request_method", SE_REQUEST_METHOD},
        {"request_protocol", SE_REQUEST_PROTOCOL}, {"request_uri", SE_REQUEST_URI},
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; ++i)
        if (strcasecmp(name, special[i].name) == 0) return special[i].a;
    return SE_HEADER;
}

/* Apache's is_header_regex: anything but letters, digits, '-' and '_'. */
static int is_name_regex(const char *name) { return name[strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")] != '\0'; }

/* [master] A new entry for `name` and `regex`; NULL with *err set. */
static se_entry *new_entry(const mh_cmd_parms *cmd, const char *name, const char *regex, int icase, const char **err)
{
    se_entry *e = se_api->pcalloc(cmd->pool, sizeof *e);
    e->name = name;
    e->regex = regex;
    e->icase = icase;
    const char *re_err = NULL;
    if ((e->substring = plain_pattern(cmd->pool, regex)) == NULL) {
        e->re = se_api->regex_compile(cmd->pool, regex, icase ? MH_REGEX_ICASE : 0, &re_err);
        if (e->re == NULL) {
            *err = se_api->psprintf(cmd->pool, "%s regex could not be compiled.", directive_name(cmd));
            return NULL;
        }
    }
    e->attribute = attribute_of(name);
    if (e->attribute == SE_HEADER && is_name_regex(name)) {
        e->name_re = se_api->regex_compile(cmd->pool, name, icase ? MH_REGEX_ICASE : 0, &re_err);
        if (e->name_re == NULL) {
            /* No space after the directive name: Apache's message exactly. */
            *err = se_api->psprintf(cmd->pool, "%sHeader name regex could not be compiled.", directive_name(cmd));
            return NULL;
        }
    }
    return e;
}

/* [master] "var", "!var" or "var=value", as ap_getword(.., '=') splits:
 * at the first '=', skipping any more right after it. */
static void add_feature(mh_pool *p, se_entry *e, const char *word)
{
    const char *eq = strchr(word, '=');
    const char *name = word, *value;
    if (eq) {
        name = se_api->pstrndup(p, word, (size_t)(eq - word));
        while (*eq == '=') ++eq;
    }
    if (eq && *eq) {
        value = eq;
    } else {
        value = *name == '!' ? "!" : "1";
        if (*name == '!') ++name;
    }
    for (int i = 0; i < e->nfeatures; ++i)
        if (strcasecmp(e->features[i].name, name) == 0) { /* apr_table_setn: replaced in place */
            e->features[i].value = value;
            return;
        }
    e->features = grow(p, e->features, e->nfeatures, &e->cap, sizeof *e->features);
    e->features[e->nfeatures].name = name;
    e->features[e->nfeatures++].value = value;
}

/* [master] Apache's add_setenvif_core, from the regex on. */
static const char *add_entry(const mh_cmd_parms *cmd, se_list *list, const char *name, int argc,
                             const char *const *argv)
{
    const char *regex = argc > 0 ? argv[0] : "";
    if (*regex == '\0') return se_api->psprintf(cmd->pool, "Missing regular expression for %s", directive_name(cmd));
    /* One name pointer per attribute, so that the matcher can tell a run
     * of entries on the same attribute (and keep its value) cheaply. */
    for (int i = 0; i < list->n; ++i)
        if (strcasecmp(list->items[i]->name, name) == 0) {
            name = list->items[i]->name;
            break;
        }
    int icase = (cmd->data & ICASE) != 0;
    se_entry *e = list->n ? list->items[list->n - 1] : NULL;
    if (e == NULL || e->name != name || e->icase != icase || strcmp(e->regex, regex) != 0) {
        const char *err = NULL;
        if ((e = new_entry(cmd, name, regex, icase, &err)) == NULL) return err;
        list->items = grow(cmd->pool, list->items, list->n, &list->cap, sizeof *list->items);
        list->items[list->n++] = e;
    }
    int added = 0;
    for (int i = 1; i < argc && argv[i][0] != '\0'; ++i, ++added) add_feature(cmd->pool, e, argv[i]);
    if (!added) return se_api->psprintf(cmd->pool, "Missing envariable expression for %s", directive_name(cmd));
    return NULL;
}

/* [master] Outside sections the entries belong to the server (run before
 * any mapping); inside, to the section's own config. */
static const char *set_env_if(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    if (!se_abi_ok()) return "mod_setenvif needs a server with module ABI 1.2 or later";
    se_conf *conf = cmd->section ? dir : cmd->server_config;
    if (cmd->data & BROWSER) return add_entry(cmd, &conf->entries, "User-Agent", argc, argv);
    const char *name = argc > 0 ? argv[0] : "";
    if (*name == '\0') return se_api->psprintf(cmd->pool, "Missing header-field name for %s", directive_name(cmd));
    return add_entry(cmd, &conf->entries, name, argc - 1, argv + 1);
}

const mh_command se_commands[] = {
    {"SetEnvIf", set_env_if, 0, MH_WHERE_ANY, MH_TAKE_ARGV, "A header-name, regex and a list of variables."},
    {"SetEnvIfNoCase", set_env_if, ICASE, MH_WHERE_ANY, MH_TAKE_ARGV,
     "a header-name, regex and a list of variables."},
    {"BrowserMatch", set_env_if, BROWSER, MH_WHERE_ANY, MH_TAKE_ARGV, "A browser regex and a list of variables."},
    {"BrowserMatchNoCase", set_env_if, BROWSER | ICASE, MH_WHERE_ANY, MH_TAKE_ARGV,
     "A browser regex and a list of variables."},
    MH_COMMAND_END,
};

/* [master] */
void *se_create_config(mh_pool *p, const char *section)
{
    (void)section;
    return se_api->pcalloc(p, sizeof(se_conf));
}

/* [master] */
void *se_create_server_config(mh_pool *p) { return se_create_config(p, NULL); }

/* [master] or [worker]: only allocates. Outer entries first. */
void *se_merge_config(mh_pool *p, const void *base, const void *add)
{
    const se_conf *b = base, *a = add;
    se_conf *c = se_api->pcalloc(p, sizeof *c);
    int n = b->entries.n + a->entries.n;
    if (n == 0) return c;
    c->entries.items = se_api->palloc(p, sizeof *c->entries.items * (size_t)n);
    if (b->entries.n) memcpy(c->entries.items, b->entries.items, sizeof *c->entries.items * (size_t)b->entries.n);
    if (a->entries.n)
        memcpy(c->entries.items + b->entries.n, a->entries.items, sizeof *c->entries.items * (size_t)a->entries.n);
    c->entries.n = c->entries.cap = n;
    return c;
}
