/*
 * The directives of Apache 2.4's mod_rewrite (RewriteMap aside), with its
 * error messages, and the server and per-directory configs they fill.
 * Outside sections a directive fills the server config (a <VirtualHost>
 * has its own); inside <Directory>/<Location> the section's. All [master]
 * but the merges.
 */
#include <string.h>
#include <strings.h>

#include "rewrite.h"

#define NEEDS_1_3(directive)                                                   \
    if (!MH_API_HAS(rw_api, set_request_query)) return directive " needs a server with module ABI 1.3"

void *rw_create_server_config(mh_pool *p)
{
    return rw_api->pcalloc(p, sizeof(rw_server_config));
}

void *rw_create_dir_config(mh_pool *p, const char *section)
{
    rw_dir_config *d = rw_api->pcalloc(p, sizeof *d);
    if (section) {
        size_t n = strlen(section);
        d->directory = (n && section[n - 1] == '/') ? section : rw_api->psprintf(p, "%s/", section);
    }
    return d;
}

/* `first` then `then`, in a new list. */
static rw_rules concat(mh_pool *p, const rw_rules *first, const rw_rules *then)
{
    rw_rules out = {NULL, first->n + then->n};
    if (out.n == 0) return out;
    out.v = rw_api->palloc(p, sizeof(rw_rule *) * (size_t)out.n);
    for (int i = 0; i < first->n; ++i) out.v[i] = first->v[i];
    for (int i = 0; i < then->n; ++i) out.v[first->n + i] = then->v[i];
    return out;
}

/* Apache's config_server_merge: a virtual host's engine and options are its
 * own; the main server's rules follow its own only under Inherit. */
void *rw_merge_server_config(mh_pool *p, const void *basev, const void *addv)
{
    const rw_server_config *base = basev, *add = addv;
    rw_server_config *a = rw_api->pcalloc(p, sizeof *a);
    a->engine = add->engine;
    a->options = add->options;
    a->server = add->server;
    a->rules = (a->options & RW_OPT_INHERIT) ? concat(p, &add->rules, &base->rules) : add->rules;
    return a;
}

/* Apache's config_perdir_merge: engine and options inherited unless set,
 * RewriteBase and the rules not (the enclosing rules follow under Inherit). */
void *rw_merge_dir_config(mh_pool *p, const void *basev, const void *addv)
{
    const rw_dir_config *base = basev, *add = addv;
    rw_dir_config *a = rw_api->pcalloc(p, sizeof *a);
    a->engine_set = add->engine_set || base->engine_set;
    a->engine = add->engine_set ? add->engine : base->engine;
    a->options_set = add->options_set || base->options_set;
    a->options = add->options_set ? add->options : base->options;
    a->base = add->base;
    a->directory = add->directory;
    a->rules = (a->options & RW_OPT_INHERIT) ? concat(p, &add->rules, &base->rules) : add->rules;
    return a;
}

/* Outside sections the server config is the one that counts; it remembers
 * whose it is (a virtual host without directives of ours runs no rules). */
static rw_server_config *server_scope(const mh_cmd_parms *cmd)
{
    if (cmd->section) return NULL;
    rw_server_config *sc = cmd->server_config;
    sc->server = cmd->server;
    return sc;
}

static const char *set_engine(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    NEEDS_1_3("RewriteEngine");
    rw_dir_config *d = dir;
    int on = argv[0][1] == 'n';
    rw_server_config *sc = server_scope(cmd);
    if (sc) sc->engine = on; /* and the server-wide directory default, as Apache */
    d->engine = on;
    d->engine_set = 1;
    return NULL;
}

static const char *set_options(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    NEEDS_1_3("RewriteOptions");
    static const char *const elsewhere[] = {"InheritBefore", "InheritDown", "InheritDownBefore", "IgnoreInherit",
                                            "AllowNoSlash", "AllowAnyURI", "MergeBase", "IgnoreContextInfo",
                                            "LegacyPrefixDocRoot", NULL};
    const char *w = argv[0];
    unsigned opt = 0;
    if (strcasecmp(w, "Inherit") == 0) {
        opt = RW_OPT_INHERIT;
    } else if (strncasecmp(w, "MaxRedirects=", 13) == 0) {
        return "RewriteOptions: MaxRedirects option has been removed in favor of the global "
               "LimitInternalRecursion directive and will be ignored.";
    } else {
        for (int i = 0; elsewhere[i]; ++i)
            if (strcasecmp(w, elsewhere[i]) == 0)
                return rw_api->psprintf(cmd->pool, "RewriteOptions: option '%s' is not supported by this server "
                                        "(only Inherit is)", w);
        return rw_api->psprintf(cmd->pool, "RewriteOptions: unknown option '%s'", w);
    }
    rw_dir_config *d = dir;
    rw_server_config *sc = server_scope(cmd);
    if (sc) sc->options |= opt;
    d->options |= opt;
    d->options_set = 1;
    return NULL;
}

static const char *set_base(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    NEEDS_1_3("RewriteBase");
    if (cmd->section == NULL) return "RewriteBase: only valid in per-directory config files";
    if (argv[0][0] == '\0') return "RewriteBase: empty URL not allowed";
    if (argv[0][0] != '/') return "RewriteBase: argument is not a valid URL";
    ((rw_dir_config *)dir)->base = argv[0];
    return NULL;
}

/* The pattern's kind: an operator, a file test or a regex. NULL, or what
 * this server does not do. */
static const char *cond_type(rw_cond *c, const char *a2)
{
    static const char *const integer_ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL};
    c->type = RW_COND_REGEX;
    c->pattern = a2;
    if (!a2[0] || !a2[1]) return NULL; /* one character: a regex, as in Apache */
    for (int i = 0; integer_ops[i]; ++i)
        if (strncmp(a2, integer_ops[i], 3) == 0) return "integer comparisons";
    if (a2[0] == '-' && !a2[2]) {
        switch (a2[1]) {
        case 'f': c->type = RW_COND_FILE; break;
        case 's': c->type = RW_COND_SIZE; break;
        case 'd': c->type = RW_COND_DIR; break;
        case 'x': c->type = RW_COND_XBIT; break;
        case 'h': case 'l': case 'L': c->type = RW_COND_LINK; break;
        case 'U': case 'F': return "lookahead subrequests";
        }
        return NULL;
    }
    switch (a2[0]) {
    case '>':
        c->type = a2[1] == '=' ? RW_COND_STR_GE : RW_COND_STR_GT;
        c->pattern = a2 + (a2[1] == '=' ? 2 : 1);
        break;
    case '<':
        c->type = a2[1] == '=' ? RW_COND_STR_LE : RW_COND_STR_LT;
        c->pattern = a2 + (a2[1] == '=' ? 2 : 1);
        break;
    case '=':
        c->type = RW_COND_STR_EQ;
        c->pattern = strcmp(a2, "=\"\"") == 0 ? "" : a2 + 1;
        break;
    }
    return NULL;
}

static const char *add_cond(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    NEEDS_1_3("RewriteCond");
    char *line = rw_api->pstrdup(cmd->pool, argv[0]);
    char *a1, *a2, *a3;
    if (rw_split_args(line, &a1, &a2, &a3))
        return rw_api->psprintf(cmd->pool, "RewriteCond: bad argument line '%s'", argv[0]);
    rw_cond *c = rw_api->pcalloc(cmd->pool, sizeof *c);
    c->input = a1;
    const char *err;
    if (a3 && (err = rw_parse_flags(cmd->pool, a3, c, rw_cond_flag)))
        return rw_api->psprintf(cmd->pool, "RewriteCond: %s", err);
    if (strcasecmp(a1, "expr") == 0) return "RewriteCond: expr (ap_expr conditions) is not supported by this server";
    if (*a2 == '!') {
        c->flags |= RW_CF_NOT;
        ++a2;
    }
    const char *missing = cond_type(c, a2);
    if (missing)
        return rw_api->psprintf(cmd->pool, "RewriteCond: '%s' (%s) is not supported by this server", a2, missing);
    if (c->type == RW_COND_REGEX) {
        c->regex = rw_api->regex_compile(cmd->pool, a2, (c->flags & RW_CF_NOCASE) ? MH_REGEX_ICASE : 0, &err);
        if (c->regex == NULL)
            return rw_api->psprintf(cmd->pool, "RewriteCond: cannot compile regular expression '%s'", a2);
    }
    rw_server_config *sc = server_scope(cmd);
    rw_cond **pending = sc ? &sc->pending : &((rw_dir_config *)dir)->pending;
    while (*pending) pending = &(*pending)->next;
    *pending = c;
    return NULL;
}

static void append_rule(mh_pool *p, rw_rules *list, const rw_rule *rule)
{
    const rw_rule **v = rw_api->palloc(p, sizeof(rw_rule *) * (size_t)(list->n + 1));
    for (int i = 0; i < list->n; ++i) v[i] = list->v[i];
    v[list->n++] = rule;
    list->v = v;
}

static const char *add_rule(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    NEEDS_1_3("RewriteRule");
    char *line = rw_api->pstrdup(cmd->pool, argv[0]);
    char *a1, *a2, *a3;
    if (rw_split_args(line, &a1, &a2, &a3))
        return rw_api->psprintf(cmd->pool, "RewriteRule: bad argument line '%s'", argv[0]);
    rw_rule *rule = rw_api->pcalloc(cmd->pool, sizeof *rule);
    rule->status = 302;
    rule->max_rounds = 10000;
    const char *err;
    if (a3 && (err = rw_parse_flags(cmd->pool, a3, rule, rw_rule_flag)))
        return rw_api->psprintf(cmd->pool, "RewriteRule: %s", err);
    if (*a1 == '!') {
        rule->flags |= RW_RF_NOTMATCH;
        ++a1;
    }
    rule->pattern = a1;
    rule->regex = rw_api->regex_compile(cmd->pool, a1, (rule->flags & RW_RF_NOCASE) ? MH_REGEX_ICASE : 0, &err);
    if (rule->regex == NULL)
        return rw_api->psprintf(cmd->pool, "RewriteRule: cannot compile regular expression '%s'", a1);
    rule->output = a2;
    if (strcmp(a2, "-") == 0) rule->flags |= RW_RF_NOSUB;

    /* The RewriteCond lines since the last rule are this one's. */
    rw_server_config *sc = server_scope(cmd);
    rw_dir_config *d = dir;
    rw_cond **pending = sc ? &sc->pending : &d->pending;
    rule->conds = *pending;
    *pending = NULL;
    append_rule(cmd->pool, sc ? &sc->rules : &d->rules, rule);
    return NULL;
}

static const char *refuse_map(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)dir, (void)argc, (void)argv;
    return "RewriteMap is not supported by this server";
}

const mh_command rw_commands[] = {
    {"RewriteEngine", set_engine, 0, MH_WHERE_ANY, MH_FLAG, "On or Off to enable or disable (default) the whole "
                                                            "rewriting engine"},
    {"RewriteOptions", set_options, 0, MH_WHERE_ANY, MH_ITERATE, "List of option strings to set"},
    {"RewriteBase", set_base, 0, MH_WHERE_ANY, MH_TAKE1, "the base URL of the per-directory context"},
    {"RewriteCond", add_cond, 0, MH_WHERE_ANY, MH_RAW_ARGS, "an input string and a to be applied regexp-pattern"},
    {"RewriteRule", add_rule, 0, MH_WHERE_ANY, MH_RAW_ARGS, "an URL-applied regexp-pattern and a substitution URL"},
    {"RewriteMap", refuse_map, 0, MH_WHERE_SERVER, MH_RAW_ARGS, "a mapname and a filename"},
    MH_COMMAND_END,
};
