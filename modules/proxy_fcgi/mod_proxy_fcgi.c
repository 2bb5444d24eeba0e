/*
 * mod_proxy_fcgi: the "fcgi" scheme of mod_proxy (Apache 2.4's
 * mod_proxy_fcgi), for PHP-FPM and other FastCGI applications, over TCP
 * or a unix socket. One request per connection, as Apache without
 * enablereuse: FCGI_KEEP_CONN is never set.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proxy_fcgi.h"

const mh_api *pf_api;

#define PF_STDIN_CHUNK 16384

static void close_file(void *f) { fclose(f); }

/* A chunked body, written to an unlinked temporary file first: the
 * application is told CONTENT_LENGTH, as CGI requires. NULL with *status
 * set when the client's body failed. */
static FILE *spool_body(mh_request *r, int64_t *length, int *status)
{
    char buf[PF_STDIN_CHUNK];
    FILE *f = tmpfile();
    *length = 0;
    if (f == NULL) {
        pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, errno, NULL, r, "could not spool the request body");
        *status = 500;
        return NULL;
    }
    pf_api->pool_cleanup(pf_api->request_pool(r), close_file, f);
    for (;;) {
        long n = pf_api->read_body(r, buf, sizeof buf);
        if (n < 0) {
            *status = pf_api->status(r) >= 400 ? pf_api->status(r) : 400;
            return NULL;
        }
        if (n == 0) break;
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
            *status = 500;
            return NULL;
        }
        *length += n;
    }
    rewind(f);
    return f;
}

/* FCGI_STDIN: the body, then an empty record. 0, -1 (backend), or the
 * client's status. */
static int send_stdin(mh_request *r, pf_conn *c, FILE *spool)
{
    char buf[PF_STDIN_CHUNK];
    for (;;) {
        long n;
        if (spool) {
            n = (long)fread(buf, 1, sizeof buf, spool);
        } else if (pf_api->body_length(r) == 0) {
            n = 0;
        } else {
            n = pf_api->read_body(r, buf, sizeof buf);
            if (n < 0) return pf_api->status(r) >= 400 ? pf_api->status(r) : 400;
        }
        if (pf_send_record(c, PF_STDIN, buf, (size_t)n) < 0) return -1;
        if (n == 0) return 0;
    }
}

/* [worker] */
static int handle(mh_request *r, const mh_proxy_target *t)
{
    static const unsigned char begin[8] = {0, PF_RESPONDER, 0, 0, 0, 0, 0, 0};
    const char *where = t->unix_path ? t->unix_path : t->host;
    int64_t length = pf_api->body_length(r);
    FILE *spool = NULL;
    int status = 0;
    if (length < 0 && (spool = spool_body(r, &length, &status)) == NULL) return status;

    pf_conn c = {t->connect(r, t), t->timeout_ms};
    if (c.fd < 0) {
        pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, 0, NULL, r,
                          "AH01079: failed to make connection to backend: %s", where);
        return 502;
    }
    int rv;
    if (pf_send_record(&c, PF_BEGIN_REQUEST, begin, sizeof begin) < 0 ||
        pf_send_params(r, t, &c, length > 0 || spool ? length : -1) < 0 || (rv = send_stdin(r, &c, spool)) < 0) {
        int err = errno;
        pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, err, NULL, r,
                          "AH01075: Error dispatching request to %s:", where);
        close(c.fd);
        return err == ETIMEDOUT ? 504 : 502;
    }
    if (rv > 0) {
        close(c.fd);
        return rv;
    }
    rv = pf_relay_response(r, t, &c);
    close(c.fd);
    return rv;
}

static const mh_proxy_scheme fcgi_scheme = {sizeof(mh_proxy_scheme), handle};

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    pf_api = api;
    /* The core's CGI services (add_cgi_vars, scan_script_header) came with
     * 1.3: an older server gets no "fcgi" scheme from this build. */
    if (!MH_API_HAS(api, scan_script_header)) {
        api->log_error(self, MH_LOG_ERR, 0, NULL, NULL, "mod_proxy_fcgi needs a server with ABI 1.3 or later");
        return;
    }
    api->register_provider(self, MH_PROXY_PROVIDER_GROUP, "fcgi", MH_PROXY_PROVIDER_VERSION, &fcgi_scheme);
}

MH_DECLARE_MODULE(proxy_fcgi_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    NULL, /* directives: mod_proxy's */
    NULL, NULL, NULL,
    register_hooks,
    NULL, /* not an MPM */
};
