/*
 * mod_errordoc: Apache's ErrorDocument (a core directive there), through
 * the error_response hook. The core calls it with the status it is about
 * to answer; the ErrorDocument in force for the request's directory says
 * whether to serve a local page, redirect elsewhere, send a text or let
 * the core send its built-in page.
 *
 * The hook blocks only in internal_redirect, which says so on an event
 * loop (MH_WOULD_BLOCK): then it is called again on a worker thread.
 */
#include "errordoc.h"

const mh_api *ed_api;

/* [worker] */
static int error_response(mh_request *r, int status)
{
    /* No body for these: the core's answer is all there is (Apache's too). */
    if (status < 200 || status == 204 || status == 304) return MH_DECLINED;
    const ed_entry *e = ed_lookup(ed_api->dir_config(r, &errordoc_module), status);
    if (e == NULL) return MH_DECLINED;
    switch (e->kind) {
    case ED_LOCAL: return ed_serve_local(r, status, e->value);
    case ED_REMOTE: return ed_send_redirect(r, e->value);
    case ED_TEXT: return ed_send_text(r, status, e->value);
    case ED_DEFAULT: break;
    }
    return MH_DECLINED;
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    ed_api = api;
    /* An older server has no such hook; ErrorDocument then says so. */
    if (MH_ABI_AT_LEAST(api, 1, 2)) api->hook_error_response(self, error_response, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(errordoc_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    ed_commands,
    ed_create_dir_config,
    ed_merge_dir_config,
    NULL, /* no server config */
    register_hooks,
    NULL, /* not an MPM */
};
