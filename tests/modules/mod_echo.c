/* Test module: SetHandler echo answers with the request body, read through
 * api->read_body, so that LimitRequestBody, 100-continue, the body timeout
 * and body errors are the core's. What the core made of the request comes
 * back in X-Echo-* headers.
 *
 *   default      read the whole body, then answer it: with a Content-Length
 *                when the request had one, without (chunked to HTTP/1.1)
 *                for a chunked request
 *   ?stream      write each piece back as it is read, without a length
 *   ?noread      answer "noread\n" without touching the body
 *
 * A failed read answers with the status the core gives (400, 408, 413). */
#include <modhttpd/modhttpd.h>
#include <stdlib.h>
#include <string.h>

static const mh_api *api;

#define ECHO_MAX (64 * 1024 * 1024)

static int has_word(const char *query, const char *word)
{
    size_t n = strlen(word);
    const char *p = query;
    while (p && *p) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0) return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static void free_buffer(void *p) { free(p); }

static void describe(mh_request *r, long long length)
{
    mh_pool *p = api->request_pool(r);
    const char *query = api->request_query(r);
    api->header_out_set(r, "X-Echo-Method", api->request_method(r));
    api->header_out_set(r, "X-Echo-Target", api->request_target(r));
    api->header_out_set(r, "X-Echo-Path", api->escape_path(p, api->request_path(r)));
    api->header_out_set(r, "X-Echo-Query", query ? query : "(none)");
    api->header_out_set(r, "X-Echo-Host", api->request_hostname(r));
    api->header_out_set(r, "X-Echo-Protocol", api->request_protocol(r));
    api->header_out_set(r, "X-Echo-Length", api->psprintf(p, "%lld", length));
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "echo") != 0) return MH_DECLINED;
    const char *query = api->request_query(r);
    long long length = (long long)api->body_length(r);
    describe(r, length);
    api->set_content_type(r, "application/octet-stream");

    if (has_word(query, "noread")) {
        api->set_content_length(r, 7);
        api->puts(r, "noread\n");
        return MH_OK;
    }

    char piece[16384];
    if (has_word(query, "stream")) {
        long n;
        while ((n = api->read_body(r, piece, sizeof piece)) > 0)
            if (api->write(r, piece, (size_t)n) != 0) return MH_OK;
        return n < 0 ? api->status(r) : MH_OK;
    }

    size_t used = 0, cap = 0;
    char *body = NULL;
    for (;;) {
        long n = api->read_body(r, piece, sizeof piece);
        if (n < 0) {
            free(body);
            return api->status(r);
        }
        if (n == 0) break;
        if (used + (size_t)n > ECHO_MAX) {
            free(body);
            return 413;
        }
        if (used + (size_t)n > cap) {
            cap = (used + (size_t)n) * 2;
            char *grown = realloc(body, cap);
            if (grown == NULL) {
                free(body);
                return 500;
            }
            body = grown;
        }
        memcpy(body + used, piece, (size_t)n);
        used += (size_t)n;
    }
    if (body) api->pool_cleanup(api->request_pool(r), free_buffer, body);
    api->header_out_set(r, "X-Echo-Read", api->psprintf(api->request_pool(r), "%zu", used));
    if (length >= 0) api->set_content_length(r, (int64_t)used);
    if (used > 0) api->write(r, body, used);
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(echo_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, register_hooks, NULL
};
