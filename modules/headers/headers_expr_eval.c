/*
 * Evaluation of expr= trees, as Apache's ap_expr_eval. A regex match
 * (=~, !~) leaves its groups for the $0..$9 that are evaluated after it,
 * left to right; before any match they are empty.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "headers_expr_int.h"

typedef struct ctx {
    mh_request *r;
    mh_pool *p;
    const char *source; /* the subject of the last match, or NULL */
    mh_regmatch m[MH_REGEX_MAX_MATCH];
} ctx;

static const char *word(ctx *c, const hd_expr *w);

static const char *concat(ctx *c, const hd_expr *w)
{
    const char *v[32];
    const char **parts = w->n <= 32 ? v : hd_api->palloc(c->p, sizeof *parts * (size_t)w->n);
    size_t len = 0;
    for (int i = 0; i < w->n; ++i) {
        parts[i] = word(c, w->list[i]);
        len += strlen(parts[i]);
    }
    char *out = hd_api->palloc(c->p, len + 1), *d = out;
    for (int i = 0; i < w->n; ++i) {
        size_t n = strlen(parts[i]);
        memcpy(d, parts[i], n);
        d += n;
    }
    *d = '\0';
    return out;
}

static const char *backref(ctx *c, int g)
{
    if (c->source == NULL || c->m[g].start < 0) return "";
    return hd_api->pstrndup(c->p, c->source + c->m[g].start, (size_t)(c->m[g].end - c->m[g].start));
}

static const char *word(ctx *c, const hd_expr *w)
{
    const char *v = NULL;
    switch (w->type) {
    case XW_TEXT: return w->text;
    case XW_CONCAT: return concat(c, w);
    case XW_VAR: v = hd_var_value(c->r, w->op); break;
    case XW_FUNC: v = hd_func_call(c->r, w->op, word(c, w->a)); break;
    case XW_BACKREF: return backref(c, w->op);
    default: break;
    }
    return v ? v : "";
}

static int compare(int op, long long d)
{
    switch (op) {
    case XC_EQ: return d == 0;
    case XC_NE: return d != 0;
    case XC_LT: return d < 0;
    case XC_LE: return d <= 0;
    case XC_GT: return d > 0;
    default: return d >= 0;
    }
}

/* Apache's -T: false for "", "0", "off", "no" and "false" (any case). */
static int truthy(const char *v)
{
    return !(*v == '\0' || strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0 ||
             strcasecmp(v, "false") == 0);
}

static int cond(ctx *c, const hd_expr *e)
{
    switch (e->type) {
    case XB_TRUE: return 1;
    case XB_FALSE: return 0;
    case XB_NOT: return !cond(c, e->a);
    case XB_AND: return cond(c, e->a) && cond(c, e->b);
    case XB_OR: return cond(c, e->a) || cond(c, e->b);
    case XB_STRCMP: {
        const char *a = word(c, e->a);
        return compare(e->op, strcmp(a, word(c, e->b)));
    }
    case XB_INTCMP: {
        long long a = strtoll(word(c, e->a), NULL, 10);
        long long b = strtoll(word(c, e->b), NULL, 10);
        return compare(e->op, a < b ? -1 : a > b);
    }
    case XB_UNARY: {
        const char *v = word(c, e->a);
        return e->op == 'n' ? *v != '\0' : e->op == 'z' ? *v == '\0' : truthy(v);
    }
    case XB_MATCH: {
        const char *v = word(c, e->a);
        mh_regmatch m[MH_REGEX_MAX_MATCH];
        int hit = hd_api->regex_match(e->re, v, m, MH_REGEX_MAX_MATCH);
        if (hit) {
            c->source = v;
            memcpy(c->m, m, sizeof m);
        }
        return hit != e->negated;
    }
    case XB_IN: {
        const char *v = word(c, e->a);
        for (int i = 0; i < e->n; ++i)
            if (strcmp(v, word(c, e->list[i])) == 0) return 1;
        return 0;
    }
    case XB_WILDCARD: {
        const char *v = word(c, e->a);
        int flags = e->op == XM_STRCMATCH ? FNM_CASEFOLD : e->op == XM_FNMATCH ? FNM_PATHNAME : 0;
        return fnmatch(word(c, e->b), v, flags) == 0;
    }
    default: return 0;
    }
}

int hd_expr_bool(mh_request *r, const hd_expr *e)
{
    ctx c = {r, hd_api->request_pool(r), NULL, {{0, 0}}};
    return cond(&c, e);
}

const char *hd_expr_string(mh_request *r, const hd_expr *e)
{
    ctx c = {r, hd_api->request_pool(r), NULL, {{0, 0}}};
    return word(&c, e);
}
