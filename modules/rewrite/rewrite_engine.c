/*
 * A rule list applied to a request, as Apache's apply_rewrite_list and
 * apply_rewrite_rule: each rule's pattern against the current URL (in a
 * directory, with the directory's path taken off), then its conditions,
 * then the substitution, the query string, [E=], and what its flags say
 * about going on.
 */
#include <string.h>
#include <strings.h>

#include "rewrite.h"

#define RW_MAX_URL (2 * 8190)

int rw_absolute_uri(const char *s, int *query_ok)
{
    static const struct {
        const char *scheme;
        int query_ok;
    } known[] = {{"http://", 1}, {"https://", 1}, {"ftp://", 1}, {"ws://", 1}, {"wss://", 1}, {"ldap://", 1},
                 {"nntp://", 1}, {"gopher://", 1}, {"mailto:", 0}, {"news:", 0}, {"data:", 0}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; ++i) {
        size_t n = strlen(known[i].scheme);
        if (strncasecmp(s, known[i].scheme, n) == 0) {
            if (query_ok) *query_ok = known[i].query_ok;
            return (int)n;
        }
    }
    return 0;
}

/* Apache's splitout_queryargs: a '?' in the result starts the new query,
 * which replaces the request's, or goes before it under [QSA]; [QSD]
 * drops the request's. */
static void split_query(rw_ctx *ctx, unsigned flags)
{
    int query_ok;
    if (rw_absolute_uri(ctx->filename, &query_ok) && !query_ok) {
        ctx->query = NULL;
        return;
    }
    if (flags & RW_RF_QSDISCARD) ctx->query = NULL;
    const char *q = (flags & RW_RF_QSLAST) ? strrchr(ctx->filename, '?') : strchr(ctx->filename, '?');
    if (q == NULL) return;
    const char *tail = q + 1;
    ctx->filename = rw_api->pstrndup(ctx->p, ctx->filename, (size_t)(q - ctx->filename));
    char *query;
    if (flags & RW_RF_QSAPPEND) {
        if (!*tail) return;
        query = rw_api->psprintf(ctx->p, "%s&%s", tail, ctx->query ? ctx->query : "");
    } else {
        query = rw_api->pstrdup(ctx->p, tail);
    }
    size_t n = strlen(query);
    if (n && query[n - 1] == '&') query[--n] = '\0';
    ctx->query = n ? query : NULL;
}

/* Apache's reduce_uri: "http://this-server[:port]/x" is "/x". */
static void reduce_to_path(rw_ctx *ctx)
{
    const char *self = rw_api->construct_url(ctx->r, "");
    const char *with_port = strchr(self + 8, ':') ? NULL : rw_api->psprintf(ctx->p, "%s:80", self);
    const char *forms[] = {self, with_port};
    for (int i = 0; i < 2; ++i) {
        if (forms[i] == NULL) continue;
        size_t n = strlen(forms[i]);
        if (strncasecmp(ctx->filename, forms[i], n) != 0) continue;
        const char *rest = ctx->filename + n;
        if (*rest && *rest != '/') continue;
        ctx->filename = *rest ? rw_api->pstrdup(ctx->p, rest) : "/";
        ctx->uri_reduced = 1;
        return;
    }
}

static void apply_env(rw_ctx *ctx, const rw_item *env)
{
    mh_table *t = rw_api->subprocess_env(ctx->r);
    for (; env; env = env->next) {
        char *name = rw_expand(ctx, env->text);
        if (*name == '!') {
            rw_api->table_unset(t, name + 1);
            continue;
        }
        char *val = strchr(name, ':');
        if (val) *val++ = '\0';
        rw_api->table_set(t, name, val ? val : "");
    }
}

/* [T] and [H]: remembered for the type checker (server context) or set
 * now (in a directory, where the type checker has run). */
static void force_type_handler(rw_ctx *ctx, const rw_rule *rule)
{
    mh_table *notes = rw_api->notes(ctx->r);
    if (rule->type) {
        char *t = rw_expand(ctx, rule->type);
        if (*t) rw_api->table_set(notes, RW_NOTE_TYPE, t);
    }
    if (rule->handler) {
        char *h = rw_expand(ctx, rule->handler);
        if (*h) rw_api->table_set(notes, RW_NOTE_HANDLER, h);
    }
}

/* All conditions, [OR] binding a condition to the next one. */
static int conditions_hold(rw_ctx *ctx, const rw_cond *c)
{
    for (; c; c = c->next) {
        int rc = rw_cond_matches(ctx, c);
        if (c->flags & RW_CF_NOVARY) ctx->vary_this = NULL;
        if (c->flags & RW_CF_OR) {
            if (!rc) {
                ctx->vary_this = NULL;
                continue;
            }
            while (c->next && (c->flags & RW_CF_OR)) c = c->next; /* the rest of the OR group */
        } else if (!rc) {
            return 0;
        }
        if (ctx->vary_this) {
            ctx->vary = ctx->vary ? rw_api->psprintf(ctx->p, "%s, %s", ctx->vary, ctx->vary_this) : ctx->vary_this;
            ctx->vary_this = NULL;
        }
    }
    return 1;
}

/* 0: no match; 1: the URL changed; 2: matched, nothing substituted. */
static int apply_rule(rw_ctx *ctx, const rw_rule *rule)
{
    ctx->uri = ctx->filename;
    if (ctx->perdir && ctx->path_info && *ctx->path_info) /* the whole URL is matched */
        ctx->uri = rw_api->psprintf(ctx->p, "%s%s", ctx->uri, ctx->path_info);
    if (ctx->perdir) {
        size_t n = strlen(ctx->perdir);
        if (strncmp(ctx->uri, ctx->perdir, n) == 0) ctx->uri += n;
    }
    mh_regmatch m[MH_REGEX_MAX_MATCH];
    int rc = rw_api->regex_match(rule->regex, ctx->uri, m, MH_REGEX_MAX_MATCH);
    if (rc == !!(rule->flags & RW_RF_NOTMATCH)) return 0;

    ctx->vary_this = NULL;
    ctx->rc_source = NULL;
    ctx->rr_source = NULL;
    if (!(rule->flags & RW_RF_NOTMATCH)) {
        ctx->rr_source = ctx->uri;
        memcpy(ctx->rr, m, sizeof m);
    }
    if (!conditions_hold(ctx, rule->conds)) return 0;

    char *out = (rule->flags & RW_RF_NOSUB) ? NULL : rw_expand(ctx, rule->output);
    apply_env(ctx, rule->env);
    if (rule->flags & RW_RF_NOSUB) {
        force_type_handler(ctx, rule);
        if (rule->flags & RW_RF_STATUS) ctx->status = rule->status;
        return 2;
    }
    ctx->filename = out;
    if (rule->flags & RW_RF_DISCARDPATH) ctx->path_info = NULL;
    split_query(ctx, rule->flags);
    /* A relative result stays in the directory. */
    if (ctx->perdir && ctx->filename[0] != '/' && !rw_absolute_uri(ctx->filename, NULL))
        ctx->filename = rw_api->psprintf(ctx->p, "%s%s", ctx->perdir, ctx->filename);
    if (rule->flags & RW_RF_REDIRECT) {
        if (!rw_absolute_uri(ctx->filename, NULL))
            ctx->filename = rw_api->construct_url(
                ctx->r, ctx->filename[0] == '/' ? ctx->filename : rw_api->psprintf(ctx->p, "/%s", ctx->filename));
        ctx->status = rule->status;
        return 1;
    }
    reduce_to_path(ctx);
    if (rw_absolute_uri(ctx->filename, NULL)) { /* to another server: a redirect all the same */
        ctx->status = rule->status;
        return 1;
    }
    force_type_handler(ctx, rule);
    return 1;
}

int rw_apply_rules(rw_ctx *ctx, const rw_rules *rules)
{
    int changed = RW_UNCHANGED;
    int round = 1;
again:
    for (int i = 0; i < rules->n; ++i) {
        const rw_rule *rule = rules->v[i];
        ctx->vary = NULL;
        int rc = apply_rule(ctx, rule);
        if (!rc) {
            /* A chain fails as a whole: skip the rules chained to this one. */
            while (i < rules->n - 1 && (rules->v[i]->flags & RW_RF_CHAIN)) ++i;
            continue;
        }
        /* Rules that make the URL grow ([N] loops) stop at twice Apache's
         * default LimitRequestLine. */
        if (strlen(ctx->filename) > RW_MAX_URL) {
            rw_api->log_error(&rewrite_module, MH_LOG_ERR, 0, NULL, ctx->r,
                              "AH02770: RewriteRule '%s' and URI '%.*s...' exceeded maximum length (%d)",
                              rule->pattern, 64, ctx->filename, RW_MAX_URL);
            ctx->status = 500;
            return RW_STATUS;
        }
        if (ctx->vary) rw_api->table_merge(rw_api->headers_out(ctx->r), "Vary", ctx->vary);
        if (rule->flags & RW_RF_STATUS) return RW_STATUS;
        if (rc != 2) changed = (rule->flags & RW_RF_NOESCAPE) ? RW_CHANGED_NOESCAPE : RW_CHANGED;
        if (rule->flags & RW_RF_PASSTHROUGH) {
            ctx->passthrough = 1;
            return RW_CHANGED;
        }
        if (rule->flags & RW_RF_END) {
            rw_api->table_set(rw_api->notes(ctx->r), RW_NOTE_END, "1");
            break;
        }
        if (rule->flags & RW_RF_LAST) break;
        if (rule->flags & RW_RF_NEXT) {
            if (++round >= rule->max_rounds) {
                rw_api->log_error(&rewrite_module, MH_LOG_ERR, 0, NULL, ctx->r,
                                  "AH02596: RewriteRule '%s' and URI '%s' exceeded maximum number of rounds (%d) "
                                  "via the [N] flag",
                                  rule->pattern, ctx->filename, rule->max_rounds);
                ctx->status = 500;
                return RW_STATUS;
            }
            goto again;
        }
        for (int s = rule->skip; s > 0 && i < rules->n - 1; --s) ++i;
    }
    return changed;
}
