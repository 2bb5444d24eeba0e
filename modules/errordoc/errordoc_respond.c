/*
 * The answers ErrorDocument gives in place of the built-in page, as Apache's
 * ap_die and ap_send_error_response give them.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "errordoc.h"

struct names {
    const char **v;
    size_t n;
    int keep_error_headers;
};

static int count_one(void *data, const char *name, const char *value)
{
    (void)name;
    (void)value;
    ++*(size_t *)data;
    return 0;
}

/* The headers the core keeps on its own error page. */
static int error_header(const char *name)
{
    static const char *const kept[] = {"Allow", "Location", "WWW-Authenticate", "Retry-After", "Content-Range"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; ++i)
        if (strcasecmp(name, kept[i]) == 0) return 1;
    return 0;
}

static int collect(void *data, const char *name, const char *value)
{
    (void)value;
    struct names *s = data;
    if (!(s->keep_error_headers && error_header(name))) s->v[s->n++] = name;
    return 0;
}

/* A new response: what the handler set in headers_out goes (but the
 * error's own headers, with `keep_error_headers`); err_headers_out stays. */
static void drop_headers_out(mh_request *r, int keep_error_headers)
{
    mh_table *t = ed_api->headers_out(r);
    size_t n = 0;
    ed_api->table_each(t, count_one, &n);
    if (n == 0) return;
    struct names s = {ed_api->palloc(ed_api->request_pool(r), n * sizeof(char *)), 0, keep_error_headers};
    ed_api->table_each(t, collect, &s);
    for (size_t i = 0; i < s.n; ++i) ed_api->table_unset(t, s.v[i]);
}

static int send_html(mh_request *r, int status, const char *body)
{
    ed_api->set_status(r, status);
    ed_api->set_content_type(r, "text/html; charset=iso-8859-1");
    ed_api->set_content_length(r, (int64_t)strlen(body));
    ed_api->puts(r, body);
    return MH_OK;
}

int ed_serve_local(mh_request *r, int status, const char *uri)
{
    mh_table *notes = ed_api->notes(r);
    /* Apache's no_local_copy: an error page is never a 304, 412 or 206. */
    static const char *const conditional[] = {"If-Match", "If-None-Match", "If-Modified-Since",
                                              "If-Unmodified-Since", "If-Range", "Range"};
    mh_table *in = ed_api->headers_in(r);
    for (size_t i = 0; i < sizeof conditional / sizeof conditional[0]; ++i) ed_api->table_unset(in, conditional[i]);

    /* What Apache's error document finds of the first request (there the
     * redirect renames REQUEST_METHOD and ERROR_NOTES; the core does not). */
    mh_table *env = ed_api->subprocess_env(r);
    ed_api->table_set(env, "REDIRECT_REQUEST_METHOD", ed_api->request_method(r));
    const char *error_notes = ed_api->table_get(notes, "error-notes");
    if (error_notes) ed_api->table_set(env, "REDIRECT_ERROR_NOTES", error_notes);

    /* An error of the document's own request gets the core's page, with
     * Apache's "Additionally, ..." note: this hook is not called for it. */
    int rv = ed_api->internal_redirect(r, uri);
    if (rv == MH_WOULD_BLOCK) {
        /* On an event loop: nothing was done; the worker calls us again. */
        ed_api->log_error(&errordoc_module, MH_LOG_TRACE1, 0, NULL, r,
                          "ErrorDocument %d %s: on an event loop, handed to a worker", status, uri);
        return MH_WOULD_BLOCK;
    }
    return rv == 0 ? MH_OK : MH_DECLINED;
}

int ed_send_redirect(mh_request *r, const char *url)
{
    mh_pool *p = ed_api->request_pool(r);
    drop_headers_out(r, 0);
    ed_api->header_out_set(r, "Location", url);
    /* The core writes no page for a status a hook answers: Apache's 302. */
    const char *body = ed_api->psprintf(p,
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n"
        "<html><head>\n<title>302 Found</title>\n</head><body>\n<h1>Found</h1>\n"
        "<p>The document has moved <a href=\"%s\">here</a>.</p>\n%s</body></html>\n",
        ed_api->escape_html(p, url), ed_api->server_signature(r, "<hr>\n"));
    return send_html(r, 302, body);
}

int ed_send_text(mh_request *r, int status, const char *text)
{
    drop_headers_out(r, 1);
    return send_html(r, status, text);
}
