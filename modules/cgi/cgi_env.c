/*
 * The script's environment: the core's meta-variables (add_cgi_vars, as
 * Apache's ap_add_common_vars and ap_add_cgi_vars) set in the request's
 * subprocess_env over what SetEnvIf put there, then made "NAME=value"
 * strings for execve.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>

#include "cgi.h"

typedef struct env_list {
    mh_request *r;
    char **v;          /* "NAME=value" */
    size_t n, cap;
} env_list;

/* A name the shell can take: other characters become '_', as Apache's
 * ap_create_environment does; a later entry of the same name wins. */
static int add_var(void *data, const char *name, const char *value)
{
    env_list *e = data;
    mh_pool *p = cgi_api->request_pool(e->r);
    char *n = cgi_api->pstrdup(p, name);
    for (char *c = n; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_') *c = '_';
    if (*n == '\0') return 0;
    char *entry = cgi_api->psprintf(p, "%s=%s", n, value);
    size_t len = strlen(n) + 1;
    for (size_t i = 0; i < e->n; i++)
        if (strncmp(e->v[i], entry, len) == 0) return e->v[i] = entry, 0;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        char **grown = cgi_api->palloc(p, (cap + 1) * sizeof *grown);
        if (e->n) memcpy(grown, e->v, e->n * sizeof *grown);
        e->v = grown;
        e->cap = cap;
    }
    e->v[e->n++] = entry;
    return 0;
}

char **cgi_environment(mh_request *r)
{
    mh_table *env = cgi_api->subprocess_env(r);
    env_list e = {r, NULL, 0, 0};
    cgi_api->add_cgi_vars(r, env);
    cgi_api->table_each(env, add_var, &e);
    if (e.v == NULL) e.v = cgi_api->palloc(cgi_api->request_pool(r), sizeof *e.v);
    e.v[e.n] = NULL;
    return e.v;
}
