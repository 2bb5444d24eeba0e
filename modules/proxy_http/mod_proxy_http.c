/*
 * mod_proxy_http: the "http" scheme of mod_proxy (Apache 2.4's
 * mod_proxy_http). HTTP/1.1 to the backend over connections kept per
 * process; the request body and the response body are streamed, never held
 * whole.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

const mh_api *ph_api;

/* Methods that may be sent twice (RFC 9110 9.2.2). */
static int idempotent(const char *method)
{
    static const char *const safe[] = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", NULL};
    for (int i = 0; safe[i]; ++i)
        if (strcmp(method, safe[i]) == 0) return 1;
    return 0;
}

static int backend_failed(mh_request *r, ph_conn *c, int err)
{
    ph_api->log_error(&proxy_http_module, MH_LOG_ERR, err, NULL, r, "AH01097: pass request body failed to %s",
                      c->key);
    ph_release(c, 0);
    return err == ETIMEDOUT ? 504 : 502;
}

/* [worker] One exchange. A kept connection may have been closed by the
 * backend since it was last used: when that shows before any byte of a
 * response, the request goes again on a new connection, provided nothing
 * was lost (no body was sent, and the method may be repeated), as Apache. */
static int handle(mh_request *r, const mh_proxy_target *t)
{
    const char *head = ph_request_head(r, t);
    const int repeatable = ph_api->body_length(r) == 0 && idempotent(ph_api->request_method(r));
    for (int attempt = 0;; ++attempt) {
        ph_conn *c = ph_acquire(r, t, attempt > 0);
        if (c == NULL) {
            ph_api->log_error(&proxy_http_module, MH_LOG_ERR, 0, NULL, r,
                              "AH01114: HTTP: failed to make connection to backend: %s",
                              t->unix_path ? t->unix_path : t->host);
            return 502;
        }
        const int may_retry = c->reused && attempt == 0;
        if (ph_send(c, head, strlen(head)) < 0) {
            if (may_retry) {
                ph_release(c, 0);
                continue;
            }
            return backend_failed(r, c, errno);
        }
        int rv = ph_send_body(r, c);
        if (rv < 0) return backend_failed(r, c, errno);
        if (rv > 0) {
            ph_release(c, 0); /* the client's body failed: its status */
            return rv;
        }
        ph_response resp;
        rv = ph_read_head(r, t, c, &resp, may_retry && repeatable);
        if (rv == PH_RETRY) {
            ph_release(c, 0);
            continue;
        }
        if (rv != MH_OK) {
            ph_release(c, 0);
            return rv;
        }
        rv = ph_copy_body(r, t, c, &resp);
        if (rv > 1) {
            ph_release(c, 0);
            return rv; /* 502/504 once the headers are out: the client's connection closes */
        }
        ph_release(c, rv == 1 && t->reuse);
        return MH_OK;
    }
}

static const mh_proxy_scheme http_scheme = {sizeof(mh_proxy_scheme), handle};

/* [child] A child starts with no connections of its own. */
static void child_init(mh_server *s)
{
    (void)s;
    ph_pool_reset();
}

/* [child] */
static void child_exit(mh_server *s)
{
    (void)s;
    ph_pool_reset();
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    ph_api = api;
    if (!MH_API_HAS(api, register_provider)) return;
    api->register_provider(self, MH_PROXY_PROVIDER_GROUP, "http", MH_PROXY_PROVIDER_VERSION, &http_scheme);
    api->hook_child_init(self, child_init, MH_HOOK_MIDDLE);
    api->hook_child_exit(self, child_exit, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(proxy_http_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    NULL, /* directives: mod_proxy's */
    NULL, NULL, NULL,
    register_hooks,
    NULL, /* not an MPM */
};
