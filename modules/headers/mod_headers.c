/*
 * mod_headers: Header and RequestHeader, as Apache 2.4's mod_headers.
 *
 * When each list runs, as in Apache:
 *   post_read_request  the "early" entries of all three lists (server-wide
 *                      ones only: no section is mapped yet)
 *   fixups             RequestHeader, on headers_in, before the handler
 *   output filter      Header always (err_headers_out), then Header
 *                      (headers_out), on the filter's first call, when the
 *                      handler's own headers are there and none is sent
 *   error_response     Header always, for the core's error pages, which do
 *                      not pass filters (Apache's insert_error_filter)
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <time.h>

#include "headers.h"

const mh_api *hd_api;

#define FILTER_NAME "FIXUP_HEADERS_OUT"
/* Notes this module keeps for itself (the ABI has no per-request module
 * state): when the request started, and that an error was answered (and
 * Header always applied for it: an ErrorDocument's own request must not
 * apply it a second time). */
#define NOTE_START "mod_headers.request_time"
#define NOTE_ERROR "mod_headers.error"

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t hd_request_time(mh_request *r)
{
    const char *t = hd_api->table_get(hd_api->notes(r), NOTE_START);
    return t ? strtoll(t, NULL, 10) : now_us();
}

static const hd_conf *conf_of(const mh_request *r) { return hd_api->dir_config(r, &headers_module); }

static int post_read_request(mh_request *r)
{
    const hd_server_conf *sc = hd_api->server_config(hd_api->request_server(r), &headers_module);
    if (sc && sc->wants_start_time)
        hd_api->table_set(hd_api->notes(r), NOTE_START,
                          hd_api->psprintf(hd_api->request_pool(r), "%lld", (long long)now_us()));
    const hd_conf *c = conf_of(r);
    if (c == NULL) return MH_DECLINED;
    hd_apply(r, hd_api->headers_in(r), HD_REQUEST, &c->in, 1);
    hd_apply(r, hd_api->err_headers_out(r), HD_RESPONSE, &c->err, 1);
    hd_apply(r, hd_api->headers_out(r), HD_RESPONSE, &c->out, 1);
    return MH_DECLINED;
}

static int fixups(mh_request *r)
{
    const hd_conf *c = conf_of(r);
    if (c && c->in.n) hd_apply(r, hd_api->headers_in(r), HD_REQUEST, &c->in, 0);
    return MH_DECLINED;
}

static int error_answered(mh_request *r) { return hd_api->table_get(hd_api->notes(r), NOTE_ERROR) != NULL; }

/* The filter's context says whether an error was answered before it was
 * added: then it belongs to the request an ErrorDocument URL started. */
#define BEFORE_ANY_ERROR ((void *)1)
#define AFTER_AN_ERROR ((void *)2)

static int insert_filter(mh_request *r)
{
    const hd_conf *c = conf_of(r);
    if (c && (c->out.n || c->err.n))
        hd_api->add_output_filter(r, FILTER_NAME, error_answered(r) ? AFTER_AN_ERROR : BEFORE_ANY_ERROR);
    return MH_OK;
}

/* First call, data or end alike: nothing has gone out yet. As in Apache:
 * the request an ErrorDocument URL started gets the onsuccess list (the
 * always list is applied already); an error answer written through this
 * very filter (ErrorDocument "text") gets neither. */
static int fixup_filter(mh_filter *f, mh_request *r, const char *data, size_t n, int eos)
{
    const hd_conf *c = conf_of(r);
    int error_answer = error_answered(r) && hd_api->filter_ctx(f) == BEFORE_ANY_ERROR;
    if (c && !error_answer) {
        if (!error_answered(r)) hd_apply(r, hd_api->err_headers_out(r), HD_RESPONSE, &c->err, 0);
        hd_apply(r, hd_api->headers_out(r), HD_RESPONSE, &c->out, 0);
    }
    hd_api->filter_remove(f);
    return hd_api->filter_pass(f, data, n, eos);
}

/* Declines always: it only prepares err_headers_out for whoever answers. */
static int error_response(mh_request *r, int status)
{
    (void)status;
    const hd_conf *c = conf_of(r);
    if (c == NULL || (c->err.n == 0 && c->out.n == 0) || error_answered(r)) return MH_DECLINED;
    hd_apply(r, hd_api->err_headers_out(r), HD_RESPONSE, &c->err, 0);
    hd_api->table_set(hd_api->notes(r), NOTE_ERROR, "1");
    return MH_DECLINED;
}

static void register_hooks(const mh_api *api, const mh_module *self)
{
    hd_api = api;
    if (!hd_abi_ok()) return; /* the directives say why */
    /* Apache: early headers at APR_HOOK_FIRST (before SetEnvIf), the rest last. */
    api->hook_post_read_request(self, post_read_request, MH_HOOK_FIRST);
    api->hook_fixups(self, fixups, MH_HOOK_LAST);
    api->hook_insert_filter(self, insert_filter, MH_HOOK_LAST);
    api->hook_error_response(self, error_response, MH_HOOK_REALLY_FIRST);
    api->register_output_filter(self, FILTER_NAME, fixup_filter, MH_FILTER_PROTOCOL);
}

MH_DECLARE_MODULE(headers_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    hd_commands,
    hd_create_dir_config,
    hd_merge_dir_config,
    hd_create_server_config,
    register_hooks,
    NULL,
};
