/*
 * The actions of Header and RequestHeader on one table, in configuration
 * order: Apache's do_headers_fixup. Content-Type of a response is no table
 * entry here but the request's content type (the core writes it), so set,
 * setifempty and unset of it go through set_content_type, as Apache's
 * ap_set_content_type; add, append and merge of it change nothing visible
 * in Apache (its header filter overwrites the entry) and are skipped.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "headers.h"

/* What one name holds in a table, in order. */
typedef struct values {
    const char *name;
    const char **v;
    int n, cap;
    mh_pool *p;
} values;

static int collect(void *data, const char *name, const char *value)
{
    values *vs = data;
    if (strcasecmp(name, vs->name) != 0) return 0;
    if (vs->n == vs->cap) {
        int cap = vs->cap ? vs->cap * 2 : 4;
        const char **grown = hd_api->palloc(vs->p, sizeof *grown * (size_t)cap);
        if (vs->n) memcpy(grown, vs->v, sizeof *grown * (size_t)vs->n);
        vs->v = grown;
        vs->cap = cap;
    }
    vs->v[vs->n++] = value;
    return 0;
}

static values values_of(mh_request *r, const mh_table *t, const char *name)
{
    values vs = {name, NULL, 0, 0, hd_api->request_pool(r)};
    hd_api->table_each(t, collect, &vs);
    return vs;
}

/* apr_table_mergen: "old, value" into the first entry; the others stay. */
static void merge_into_first(mh_request *r, mh_table *t, const char *name, const char *value)
{
    values vs = values_of(r, t, name);
    if (vs.n == 0) {
        hd_api->table_add(t, name, value);
        return;
    }
    hd_api->table_set(t, name, hd_api->psprintf(vs.p, "%s, %s", vs.v[0], value));
    for (int i = 1; i < vs.n; ++i) hd_api->table_add(t, name, vs.v[i]);
}

/* Header merge: is `value` already one of the comma-separated tokens of
 * `list`? Compared exactly, skipping leading blanks; a quoted string may
 * hold commas (Apache's variant of ap_get_token). */
static int has_token(const char *list, const char *value)
{
    size_t len = strlen(value);
    const char *s = list;
    while (*s) {
        while (*s && isspace((unsigned char)*s)) ++s;
        const char *start = s;
        while (*s && *s != ',') {
            if (*s++ == '"')
                while (*s)
                    if (*s++ == '"') break;
        }
        if ((size_t)(s - start) == len && strncmp(start, value, len) == 0) return 1;
        if (*s) ++s;
    }
    return 0;
}

static void edit(mh_request *r, mh_table *t, const hd_entry *e, const char *tmpl)
{
    values vs = values_of(r, t, e->header);
    if (vs.n == 0) return;
    hd_api->table_unset(t, e->header);
    for (int i = 0; i < vs.n; ++i)
        hd_api->table_add(t, e->header, hd_edit_value(r, e->regex, e->action == HD_EDIT_ALL, tmpl, vs.v[i]));
}

typedef struct echo_ctx {
    mh_request *r;
    const mh_regex *names;
} echo_ctx;

static int echo_one(void *data, const char *name, const char *value)
{
    echo_ctx *c = data;
    if (hd_api->regex_match(c->names, name, NULL, 0)) hd_api->table_add(hd_api->headers_out(c->r), name, value);
    return 0;
}

/* The value for this request: the format rendered, or expr= evaluated. */
static const char *entry_value(mh_request *r, const hd_entry *e)
{
    if (e->value_expr) return hd_expr_string(r, e->value_expr);
    return e->value ? hd_render(r, e->value) : "";
}

static int applies(mh_request *r, const hd_entry *e, int early)
{
    if (early != (e->condition == HD_COND_EARLY)) return 0;
    switch (e->condition) {
    case HD_COND_ENV: return hd_api->table_get(hd_api->subprocess_env(r), e->env) != NULL;
    case HD_COND_NOT_ENV: return hd_api->table_get(hd_api->subprocess_env(r), e->env) == NULL;
    case HD_COND_EXPR: return hd_expr_bool(r, e->expr);
    default: return 1;
    }
}

/* The response's Content-Type: 1 when handled here. */
static int content_type(mh_request *r, mh_table *t, const hd_entry *e)
{
    switch (e->action) {
    case HD_SET: hd_api->set_content_type(r, entry_value(r, e)); return 1;
    case HD_SETIFEMPTY:
        if (hd_api->table_get(t, e->header) == NULL) hd_api->set_content_type(r, entry_value(r, e));
        return 1;
    case HD_UNSET:
        hd_api->set_content_type(r, NULL);
        hd_api->table_unset(t, e->header);
        return 1;
    case HD_ADD:
    case HD_APPEND:
    case HD_MERGE: return 1;
    default: return 0; /* edit (of the table only: the ABI cannot read the type), echo, note */
    }
}

static void apply_one(mh_request *r, mh_table *t, hd_target target, const hd_entry *e)
{
    if (target == HD_RESPONSE && strcasecmp(e->header, "Content-Type") == 0 && content_type(r, t, e)) return;
    const char *old;
    switch (e->action) {
    case HD_ADD: hd_api->table_add(t, e->header, entry_value(r, e)); break;
    case HD_APPEND: merge_into_first(r, t, e->header, entry_value(r, e)); break;
    case HD_MERGE: {
        const char *v = entry_value(r, e);
        old = hd_api->table_get(t, e->header);
        if (old == NULL) hd_api->table_add(t, e->header, v);
        else if (!has_token(old, v)) merge_into_first(r, t, e->header, v);
        break;
    }
    case HD_SET: hd_api->table_set(t, e->header, entry_value(r, e)); break;
    case HD_SETIFEMPTY:
        if (hd_api->table_get(t, e->header) == NULL) hd_api->table_set(t, e->header, entry_value(r, e));
        break;
    case HD_UNSET: hd_api->table_unset(t, e->header); break;
    case HD_ECHO: {
        echo_ctx c = {r, e->regex};
        hd_api->table_each(hd_api->headers_in(r), echo_one, &c);
        break;
    }
    case HD_EDIT:
    case HD_EDIT_ALL:
        if (hd_api->table_get(t, e->header) != NULL) edit(r, t, e, entry_value(r, e));
        break;
    case HD_NOTE:
        old = hd_api->table_get(t, e->header);
        if (old) hd_api->table_set(hd_api->notes(r), entry_value(r, e), old);
        else hd_api->table_unset(hd_api->notes(r), entry_value(r, e));
        break;
    }
}

void hd_apply(mh_request *r, mh_table *t, hd_target target, const hd_list *list, int early)
{
    for (int i = 0; i < list->n; ++i)
        if (applies(r, list->items[i], early)) apply_one(r, t, target, list->items[i]);
}
