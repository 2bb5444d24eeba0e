/*
 * Whether a response is compressed, with Apache 2.4's checks in its order
 * and its reasons (logged at trace1), and the headers it then gets.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "deflate.h"

/* Logs why not (trace1, as Apache) and returns 0. */
static int not_compressing(mh_request *r, const char *why)
{
    df_api->log_error(&deflate_module, MH_LOG_TRACE1, 0, NULL, r, "Not compressing (%s)", why);
    return 0;
}

static int word_is(const char *p, size_t n, const char *w) { return strlen(w) == n && strncasecmp(p, w, n) == 0; }

/* A Content-Encoding list names a real coding: anything but Apache's no-ops. */
static const char *real_coding(mh_pool *pool, const char *list)
{
    for (const char *p = list; *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t,;");
        if (n && !word_is(p, n, "identity") && !word_is(p, n, "7bit") && !word_is(p, n, "8bit") &&
            !word_is(p, n, "binary"))
            return df_api->pstrndup(pool, p, n);
        p += n;
        p += strcspn(p, ",");
    }
    return NULL;
}

/* "0", "0.", "0.0" ... "0.000": a weight that refuses (RFC 9110 12.4.2). */
static int weight_is_zero(const char *p, size_t n)
{
    if (n == 0 || p[0] != '0') return 0;
    if (n > 1 && p[1] != '.') return 0;
    for (size_t i = 2; i < n; ++i)
        if (p[i] != '0') return 0;
    return 1;
}

/* Apache reads the first "gzip" only; x-gzip and "*" do not count there. */
int df_accept_gzip(const char *v)
{
    for (const char *p = v; *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t,;");
        int gzip = word_is(p, n, "gzip");
        int zero = 0;
        p += n;
        p += strspn(p, " \t");
        while (*p == ';') { /* parameters: only q matters */
            p += 1 + strspn(p + 1, " \t");
            size_t name = strcspn(p, " \t=,;");
            int is_q = word_is(p, name, "q");
            p += name;
            p += strspn(p, " \t");
            if (*p == '=') {
                p += 1 + strspn(p + 1, " \t");
                size_t value = strcspn(p, " \t,;");
                if (is_q) zero = weight_is_zero(p, value);
                p += value;
                p += strspn(p, " \t");
            }
        }
        if (gzip) return zero ? 0 : 1;
        p += strcspn(p, ",");
    }
    return -1;
}

static int accept_each(void *data, const char *name, const char *value)
{
    if (strcasecmp(name, "Accept-Encoding") != 0) return 0;
    *(int *)data = df_accept_gzip(value);
    return *(int *)data >= 0; /* a line that names gzip decides */
}

/* The type for gzip-only-text/html: the one the handler or a type_checker
 * (mod_mime) set, as Apache's r->content_type; else a Content-Type a
 * module put in headers_out; else the one a file of that name gets. */
static const char *guessed_type(mh_request *r)
{
    const char *t = df_api->content_type(r);
    if (t == NULL) t = df_api->table_get(df_api->headers_out(r), "Content-Type");
    return t ? t : df_api->mime_type(r, df_api->filename(r));
}

int df_should_compress(mh_request *r, const char **encoding)
{
    mh_pool *pool = df_api->request_pool(r);
    mh_table *env = df_api->subprocess_env(r), *out = df_api->headers_out(r);
    int status = df_api->status(r);
    *encoding = NULL;

    /* A 304 has no body: Apache's filter sees only its end and leaves it. */
    if (status == 204 || status == 304) return not_compressing(r, "no content");
    if (df_api->table_get(env, "no-gzip")) return not_compressing(r, "no-gzip");
    /* Ranges here are of the plain file (mod_static makes them), never of gzip. */
    if (status == 206 || df_api->table_get(out, "Content-Range")) return not_compressing(r, "content-range");

    const char *only_html = df_api->table_get(env, "gzip-only-text/html");
    if (only_html && strcmp(only_html, "1") == 0) {
        const char *type = guessed_type(r);
        if (type == NULL || strncasecmp(type, "text/html", 9) != 0) return not_compressing(r, "gzip-only-text/html");
    }

    const char *enc = df_api->table_get(out, "Content-Encoding");
    const char *err_enc = df_api->table_get(df_api->err_headers_out(r), "Content-Encoding");
    enc = enc && err_enc ? df_api->psprintf(pool, "%s,%s", enc, err_enc) : enc ? enc : err_enc;
    const char *coding = enc ? real_coding(pool, enc) : NULL;
    if (coding) {
        return not_compressing(r, df_api->psprintf(pool, "content-encoding already set: %s", coding));
    }
    *encoding = enc;

    /* From here the answer depends on Accept-Encoding: caches must know. */
    df_api->table_merge(out, "Vary", "Accept-Encoding");
    if (df_api->table_get(env, "force-gzip")) {
        df_api->log_error(&deflate_module, MH_LOG_TRACE1, 0, NULL, r, "Forcing compression (force-gzip set)");
        return 1;
    }
    int accepts = -1;
    df_api->table_each(df_api->headers_in(r), accept_each, &accepts);
    if (accepts != 1) return not_compressing(r, "no Accept-Encoding: gzip or q=0");
    return 1;
}

/* DeflateAlterETag AddSuffix: "abc" becomes "abc-gzip", W/ kept. */
static void alter_etag(mh_request *r, int how)
{
    mh_table *out = df_api->headers_out(r);
    if (how == DF_ETAG_REMOVE) df_api->table_unset(out, "ETag");
    if (how != DF_ETAG_ADD_SUFFIX) return;
    const char *etag = df_api->table_get(out, "ETag");
    size_t n = etag ? strlen(etag) : 0;
    if (n <= 2 || etag[n - 1] != '"') return;
    df_api->table_set(out, "ETag", df_api->psprintf(df_api->request_pool(r), "%.*s-gzip\"", (int)(n - 1), etag));
}

void df_set_headers(mh_request *r, const df_config *c, const char *encoding)
{
    mh_table *out = df_api->headers_out(r);
    if (encoding == NULL || strcasecmp(encoding, "identity") == 0) df_api->table_set(out, "Content-Encoding", "gzip");
    else df_api->table_merge(out, "Content-Encoding", "gzip");
    df_api->set_content_length(r, -1);
    df_api->table_unset(out, "Content-Length");
    df_api->table_unset(out, "Content-MD5");
    alter_etag(r, c->etag);
}
