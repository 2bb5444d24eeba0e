/*
 * The CGI meta-variables (RFC 3875), sent as FCGI_PARAMS: the core's
 * (add_cgi_vars, Apache's ap_add_common_vars and ap_add_cgi_vars) in the
 * request's subprocess_env, with the backend's file and the body's length.
 */
#include <string.h>

#include "proxy_fcgi.h"

/* Name-value pairs are packed into records of up to this much. */
#define PF_PARAMS_CHUNK 8192

typedef struct params {
    mh_request *r;
    pf_conn *c;
    size_t len;
    int failed;
    unsigned char buf[PF_PARAMS_CHUNK];
} params;

static void flush(params *p)
{
    if (p->len && !p->failed && pf_send_record(p->c, PF_PARAMS, p->buf, p->len) < 0) p->failed = 1;
    p->len = 0;
}

/* FastCGI lengths: one byte below 128, else four with the top bit set. */
static size_t put_length(unsigned char *o, size_t n)
{
    if (n < 128) {
        o[0] = (unsigned char)n;
        return 1;
    }
    o[0] = (unsigned char)((n >> 24) | 0x80);
    o[1] = (unsigned char)(n >> 16);
    o[2] = (unsigned char)(n >> 8);
    o[3] = (unsigned char)n;
    return 4;
}

static void add(params *p, const char *name, const char *value)
{
    if (name == NULL || value == NULL) return;
    size_t nl = strlen(name), vl = strlen(value);
    if (nl + vl + 8 > PF_PARAMS_CHUNK) return; /* one pair per record at most: drop a giant one */
    if (p->len + nl + vl + 8 > PF_PARAMS_CHUNK) flush(p);
    p->len += put_length(p->buf + p->len, nl);
    p->len += put_length(p->buf + p->len, vl);
    memcpy(p->buf + p->len, name, nl);
    p->len += nl;
    memcpy(p->buf + p->len, value, vl);
    p->len += vl;
}

static int add_env(void *data, const char *name, const char *value)
{
    add(data, name, value);
    return 0;
}

int pf_send_params(mh_request *r, const mh_proxy_target *t, pf_conn *c, int64_t length)
{
    mh_pool *pool = pf_api->request_pool(r);
    mh_table *env = pf_api->subprocess_env(r);
    params *p = pf_api->palloc(pool, sizeof *p);
    p->r = r;
    p->c = c;
    p->len = 0;
    p->failed = 0;

    pf_api->add_cgi_vars(r, env);
    if (t->script_filename) pf_api->table_set(env, "SCRIPT_FILENAME", t->script_filename);
    /* A chunked body was spooled: the application is told its length. */
    if (length >= 0) pf_api->table_set(env, "CONTENT_LENGTH", pf_api->psprintf(pool, "%lld", (long long)length));
    pf_api->table_each(env, add_env, p);
    flush(p);
    if (p->failed || pf_send_record(c, PF_PARAMS, NULL, 0) < 0) return -1;
    return 0;
}
