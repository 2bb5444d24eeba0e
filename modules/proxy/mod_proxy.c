/*
 * mod_proxy: Apache 2.4's reverse proxy front. ProxyPass and
 * ProxyPassMatch map a request in translate_name (file name "proxy:URL",
 * handler "proxy-server"), so that <Location> access control still
 * applies to it; SetHandler "proxy:fcgi://host:port" (or
 * "proxy:unix:/path|fcgi://localhost") names a backend for whatever the
 * section covers. The handler then hands the request to the module that
 * speaks the URL's scheme, found as a provider (modhttpd/proxy.h):
 * mod_proxy_http, mod_proxy_fcgi.
 *
 * translate_name never waits, so the module is flagged
 * MH_MODULE_NONBLOCKING: under mpm_event, requests it does not proxy stay
 * on the event loop. The handler waits on the network: on the loop it
 * returns MH_WOULD_BLOCK before doing anything, and runs again on a worker
 * thread.
 */
#include <string.h>
#include <strings.h>

#include "proxy.h"

const mh_api *px_api;

/* [worker] */
static int translate(mh_request *r)
{
    const px_server_config *sc = px_api->server_config(px_api->request_server(r), &proxy_module);
    const char *url = NULL;
    const px_pass *rule = sc ? px_route(r, sc, &url) : NULL;
    if (rule == NULL || rule->real == NULL) return MH_DECLINED; /* no rule, or "!" */
    px_api->set_filename(r, px_api->psprintf(px_api->request_pool(r), "proxy:%s", url));
    px_api->set_handler(r, PX_HANDLER);
    return MH_OK;
}

/* The backend URL for a SetHandler "proxy:..." request: Apache appends the
 * request's file name to the handler's URL. */
static const char *handler_url(mh_request *r, const char *handler_url, mh_proxy_target *t)
{
    mh_pool *p = px_api->request_pool(r);
    const char *file = px_api->filename(r);
    const char *query = px_api->request_query(r);
    size_t n = strlen(handler_url);
    if (file == NULL) file = px_api->request_path(r);
    if (n && handler_url[n - 1] == '/') --n;
    const char *url = px_api->psprintf(p, "%.*s%s%s%s", (int)n, handler_url, px_canon_path(p, file),
                                       query && *query ? "?" : "", query && *query ? query : "");
    t->script_filename = file;
    return url;
}

static void resolve_timeouts(mh_request *r, const px_server_config *sc, const px_pass *rule, mh_proxy_target *t)
{
    const px_params *params = rule ? &rule->params : NULL;
    int timeout = params && params->timeout_ms > 0 ? params->timeout_ms : sc ? sc->timeout_ms : -1;
    if (timeout <= 0) timeout = px_api->server_timeout(px_api->request_server(r)) * 1000;
    t->timeout_ms = timeout;
    t->connect_timeout_ms = params && params->connect_timeout_ms > 0 ? params->connect_timeout_ms : timeout;
    /* Apache keeps HTTP connections and closes FastCGI ones by default. */
    t->reuse = params && params->reuse >= 0 ? params->reuse : strcasecmp(t->scheme, "fcgi") != 0;
}

/* [worker] */
static int proxy_handler(mh_request *r)
{
    const char *h = px_api->handler_name(r);
    if (h == NULL) return MH_DECLINED;
    const px_server_config *sc = px_api->server_config(px_api->request_server(r), &proxy_module);
    const px_dir_config *d = px_api->dir_config(r, &proxy_module);
    const px_pass *rule = NULL;
    const char *url;
    mh_proxy_target t;
    memset(&t, 0, sizeof t);
    t.struct_size = sizeof t;

    if (strcmp(h, PX_HANDLER) != 0 && strncmp(h, "proxy:", 6) != 0) return MH_DECLINED;
    if (!px_api->request_may_block(r)) return MH_WOULD_BLOCK; /* nothing done yet */
    /* A file name that ProxyPass made wins over a SetHandler "proxy:..."
     * that also covers the request (Apache's rule). */
    const char *file = px_api->filename(r);
    if (file && strncmp(file, "proxy:", 6) == 0) {
        const char *mapped = NULL;
        url = file + 6;
        rule = sc ? px_route(r, sc, &mapped) : NULL; /* for its parameters */
    } else if (h[0] == 'p' && strncmp(h, "proxy:", 6) == 0) {
        url = handler_url(r, h + 6, &t);
    } else {
        return MH_DECLINED;
    }

    const char *script = t.script_filename;
    const char *err = px_parse_target(r, url, &t);
    if (err) {
        px_api->log_error(&proxy_module, MH_LOG_ERR, 0, NULL, r, "AH00898: Error parsing URL %s: %s", url, err);
        return 400;
    }
    if (script) t.script_filename = script;
    resolve_timeouts(r, sc, rule, &t);
    t.preserve_host = d && d->preserve_host > 0;
    t.add_headers = !d || d->add_headers != 0;
    t.connect = px_connect;
    t.reverse_map = px_reverse_map;

    const mh_proxy_scheme *scheme =
        px_api->lookup_provider(MH_PROXY_PROVIDER_GROUP, t.scheme, MH_PROXY_PROVIDER_VERSION);
    if (scheme == NULL || scheme->handle == NULL) {
        px_api->log_error(&proxy_module, MH_LOG_WARNING, 0, NULL, r,
                          "AH01144: No protocol handler was valid for the URL %s (scheme '%s'). If you are using a "
                          "DSO version of mod_proxy, make sure the proxy submodules are included in the "
                          "configuration using LoadModule.",
                          px_api->request_path(r), t.scheme);
        return 500;
    }
    return scheme->handle(r, &t);
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    px_api = api;
    if (!MH_ABI_AT_LEAST(api, 1, 3)) return; /* the directives say why */
    /* Apache's order: before mod_alias (MIDDLE). */
    api->hook_translate_name(self, translate, MH_HOOK_FIRST);
    api->hook_handler(self, proxy_handler, MH_HOOK_FIRST);
}

MH_DECLARE_MODULE(proxy_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    px_commands,
    px_create_dir_config,
    px_merge_dir_config,
    px_create_server_config,
    register_hooks,
    NULL, /* not an MPM */
    px_merge_server_config,
};
