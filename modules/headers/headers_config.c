/*
 * Header and RequestHeader, parsed as Apache 2.4's header_cmd and
 * header_inout_cmd do, with the same error messages and in the same order
 * (the tests compare them with apache2 -t), and the per-directory merge:
 * the outer scope's entries, then the inner one's.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "headers.h"

#define FOR_REQUEST 0u /* mh_command.data: RequestHeader */
#define FOR_RESPONSE 1u /* Header */

/* [master] */
static void list_push(mh_pool *p, hd_list *l, const hd_entry *e)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        const hd_entry **items = hd_api->palloc(p, sizeof *items * (size_t)cap);
        if (l->n) memcpy(items, l->items, sizeof *items * (size_t)l->n);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = e;
}

static int parse_action(const char *word, hd_action *out)
{
    static const struct {
        const char *name;
        hd_action action;
    } names[] = {
        {"set", HD_SET},       {"setifempty", HD_SETIFEMPTY}, {"add", HD_ADD},   {"append", HD_APPEND},
        {"merge", HD_MERGE},   {"unset", HD_UNSET},           {"echo", HD_ECHO}, {"edit", HD_EDIT},
        {"edit*", HD_EDIT_ALL}, {"note", HD_NOTE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
        if (strcasecmp(word, names[i].name) == 0) {
            *out = names[i].action;
            return 1;
        }
    return 0;
}

/* [master] The optional last word: early, env=[!]VAR or expr=... */
static const char *parse_condition(const mh_cmd_parms *cmd, hd_entry *e, const char *clause)
{
    if (strcasecmp(clause, "early") == 0) {
        e->condition = HD_COND_EARLY;
    } else if (strncasecmp(clause, "env=", 4) == 0) {
        const char *var = clause + 4;
        int negated = *var == '!';
        if (var[negated] == '\0')
            return "error: missing environment variable name. envclause should be in the form env=envar ";
        e->condition = negated ? HD_COND_NOT_ENV : HD_COND_ENV;
        e->env = var + negated;
    } else if (strncasecmp(clause, "expr=", 5) == 0) {
        const char *err = NULL;
        e->expr = hd_expr_parse(cmd->pool, clause + 5, 0, &err);
        if (e->expr == NULL) return hd_api->psprintf(cmd->pool, "Can't parse envclause/expression: %s", err);
        e->condition = HD_COND_EXPR;
    } else {
        return hd_api->psprintf(cmd->pool, "Unknown parameter: %s", clause);
    }
    return NULL;
}

/* [master] The value (for edit: the replacement): "expr=..." (that case
 * exactly, as Apache) or a format with %-tags. */
static const char *parse_value(const mh_cmd_parms *cmd, hd_entry *e, const char *text)
{
    if (strncmp(text, "expr=", 5) == 0) {
        const char *err = NULL;
        e->value_expr = hd_expr_parse(cmd->pool, text + 5, 1, &err);
        return e->value_expr ? NULL : hd_api->psprintf(cmd->pool, "Can't parse value expression : %s", err);
    }
    hd_format *f;
    const char *err = hd_parse_format(cmd->pool, text, &f);
    if (err) return err;
    e->value = f;
    if (f->uses_time) ((hd_server_conf *)cmd->server_config)->wants_start_time = 1;
    return NULL;
}

/* [master] Apache's header_inout_cmd, after the words are split. */
static const char *inout(const mh_cmd_parms *cmd, hd_list *list, const char *action, const char *hdr,
                         const char *value, const char *subs, const char *clause)
{
    hd_entry *e = hd_api->pcalloc(cmd->pool, sizeof *e);
    if (!parse_action(action, &e->action))
        return "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', "
               "'edit', or 'edit*'.";
    if (e->action == HD_NOTE && cmd->data == FOR_REQUEST) return "RequestHeader does not support the 'note' action";

    const char *replacement = NULL;
    if (e->action == HD_EDIT || e->action == HD_EDIT_ALL) {
        if (subs == NULL) return "Header edit requires a match and a substitution";
        const char *err = NULL;
        e->regex = hd_api->regex_compile(cmd->pool, value, 0, &err);
        if (e->regex == NULL) return "Header edit regex could not be compiled";
        replacement = subs;
    } else {
        /* Without a replacement, the fourth word is the condition. */
        if (clause != NULL) return "Too many arguments to directive";
        clause = subs;
    }
    if (e->action == HD_UNSET) {
        if (value) {
            if (clause) return "header unset takes two arguments";
            clause = value;
            value = NULL;
        }
    } else if (e->action == HD_ECHO) {
        if (value) {
            if (clause) return "Header echo takes two arguments";
            clause = value;
            value = NULL;
        }
        if (cmd->data == FOR_REQUEST) return "Header echo only valid on Header directives";
        const char *err = NULL;
        e->regex = hd_api->regex_compile(cmd->pool, hdr, 0, &err);
        if (e->regex == NULL) return "Header echo regex could not be compiled";
    } else if (value == NULL) {
        return "Header requires three arguments";
    }

    if (clause != NULL) {
        const char *err = parse_condition(cmd, e, clause);
        if (err) return err;
    }
    const char *colon = strchr(hdr, ':');
    e->header = colon ? hd_api->pstrndup(cmd->pool, hdr, (size_t)(colon - hdr)) : hdr;

    if (e->action != HD_UNSET && e->action != HD_ECHO) {
        const char *err = parse_value(cmd, e, replacement ? replacement : value);
        if (err) return err;
    }
    list_push(cmd->pool, list, e);
    return NULL;
}

/* The next word, or NULL past the last (Apache's "*args ? ap_getword_conf"). */
static const char *word(int argc, const char *const *argv, int *i) { return *i < argc ? argv[(*i)++] : NULL; }

/* [master] Header [always|onsuccess] action header [value [replacement]]
 * [condition]; RequestHeader without the first word. Apache reads these
 * as raw arguments with ap_getword_conf, which splits as the core does. */
static const char *set_header(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    hd_conf *conf = dir;
    if (!hd_abi_ok()) return "mod_headers needs a server with module ABI 1.2 or later";
    int i = 0;
    const char *action = word(argc, argv, &i);
    hd_list *list = cmd->data == FOR_REQUEST ? &conf->in : &conf->out;
    if (cmd->data == FOR_RESPONSE && action) {
        if (strcasecmp(action, "always") == 0) {
            list = &conf->err;
            action = word(argc, argv, &i);
        } else if (strcasecmp(action, "onsuccess") == 0) {
            action = word(argc, argv, &i);
        }
    }
    const char *hdr = word(argc, argv, &i);
    const char *value = word(argc, argv, &i);
    const char *subs = word(argc, argv, &i);
    const char *clause = word(argc, argv, &i);
    if (i < argc)
        return hd_api->psprintf(cmd->pool, "%s has too many arguments",
                                cmd->data == FOR_REQUEST ? "RequestHeader" : "Header");
    return inout(cmd, list, action ? action : "", hdr ? hdr : "", value, subs, clause);
}

const mh_command hd_commands[] = {
    {"Header", set_header, FOR_RESPONSE, MH_WHERE_ANY, MH_TAKE_ARGV,
     "an optional condition, an action, header and value followed by optional env clause"},
    {"RequestHeader", set_header, FOR_REQUEST, MH_WHERE_ANY, MH_TAKE_ARGV,
     "an action, header and value followed by optional env clause"},
    MH_COMMAND_END,
};

/* [master] */
void *hd_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    return hd_api->pcalloc(p, sizeof(hd_conf));
}

static void concat(mh_pool *p, hd_list *out, const hd_list *a, const hd_list *b)
{
    out->n = out->cap = a->n + b->n;
    if (out->n == 0) return;
    out->items = hd_api->palloc(p, sizeof *out->items * (size_t)out->n);
    if (a->n) memcpy(out->items, a->items, sizeof *out->items * (size_t)a->n);
    if (b->n) memcpy(out->items + a->n, b->items, sizeof *out->items * (size_t)b->n);
}

/* [master] or [worker]: only allocates. */
void *hd_merge_dir_config(mh_pool *p, const void *base, const void *add)
{
    const hd_conf *b = base, *a = add;
    hd_conf *c = hd_api->pcalloc(p, sizeof *c);
    concat(p, &c->in, &b->in, &a->in);
    concat(p, &c->out, &b->out, &a->out);
    concat(p, &c->err, &b->err, &a->err);
    return c;
}

/* [master] */
void *hd_create_server_config(mh_pool *p) { return hd_api->pcalloc(p, sizeof(hd_server_conf)); }
