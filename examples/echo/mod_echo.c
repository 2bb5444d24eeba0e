/*
 * mod_echo: sends the body of a POST or PUT request back to the client.
 *
 *     LoadModule echo_module modules/mod_echo.so
 *     <Location "/echo">
 *         SetHandler echo
 *         LimitRequestBody 65536     # larger bodies get 413
 *     </Location>
 *
 *     $ curl --data-binary 'ping' http://127.0.0.1:8080/echo
 *     ping
 *
 * It shows how to read a request body: the core answers "Expect:
 * 100-continue" by itself on the first read, enforces LimitRequestBody and
 * removes the chunked framing; a failed read sets the status to return.
 *
 * The whole body is read before anything is written, so that an error in the
 * middle of it (413 past the limit, 400, 408) can still become an error page.
 * That keeps the body in memory: always run it under a LimitRequestBody.
 */
#include <modhttpd/modhttpd.h>
#include <string.h>

static const mh_api *api;
static const mh_module *echo; /* this module, for log_error */

/* [worker] Reads the whole body into the request pool. Returns MH_OK with
 * *data and *length set, or the HTTP status of the failure. */
static int read_whole_body(mh_request *r, char **data, size_t *length)
{
    mh_pool *pool = api->request_pool(r);
    /* Content-Length, or -1 when chunked. Only a hint until read_body
     * has checked it against LimitRequestBody: start small. */
    int64_t announced = api->body_length(r);
    size_t capacity = announced > 0 && announced < 65536 ? (size_t)announced : 8192;
    size_t used = 0;
    char *buf = api->palloc(pool, capacity + 1);

    for (;;) {
        if (used == capacity) {
            /* Grow by doubling. The old block stays in the pool until the
             * request ends: pools never free one allocation alone. */
            char *bigger = api->palloc(pool, 2 * capacity + 1);
            memcpy(bigger, buf, used);
            buf = bigger;
            capacity *= 2;
        }
        long n = api->read_body(r, buf + used, capacity - used);
        if (n < 0)
            return api->status(r); /* 400, 408 or 413, set by the core */
        if (n == 0)
            break; /* the end of the body */
        used += (size_t)n;
    }
    buf[used] = '\0';
    *data = buf;
    *length = used;
    return MH_OK;
}

/* [worker] Many threads may run this at once: it keeps no state. */
static int echo_handler(mh_request *r)
{
    const char *handler = api->handler_name(r);
    if (handler == NULL || strcmp(handler, "echo") != 0)
        return MH_DECLINED;

    const char *method = api->request_method(r);
    if (strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0) {
        /* The core keeps Allow on its error page. */
        api->header_out_set(r, "Allow", "POST, PUT");
        return 405;
    }

    char *body = NULL;
    size_t length = 0;
    int rv = read_whole_body(r, &body, &length);
    if (rv != MH_OK) {
        api->log_error(echo, MH_LOG_INFO, 0, NULL, r, "echo: reading the body failed with %d", rv);
        return rv; /* nothing was written: the core sends the error page */
    }

    const char *type = api->header_in(r, "Content-Type");
    api->set_content_type(r, type ? type : "application/octet-stream");
    api->set_content_length(r, (int64_t)length);
    api->header_out_set(r, "X-Echo-Length", api->psprintf(api->request_pool(r), "%zu", length));
    api->write(r, body, length);
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    echo = self;
    a->hook_handler(self, echo_handler, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(echo_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    NULL,             /* no directives of its own: LimitRequestBody is the core's */
    NULL, NULL, NULL, /* create_dir_config, merge_dir_config, create_server_config */
    register_hooks,
    NULL              /* not an MPM */
};
