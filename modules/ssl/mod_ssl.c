/* mod_ssl: TLS for modhttpd, as Apache 2.4's mod_ssl (docs/ssl.md). */
#include <openssl/ssl.h>

#include "ssl.h"

const mh_api *ssl_api;

/* [master] After each configuration read, before the children fork: every
 * server with SSLEngine on gets its SSL_CTX (certificate, key, protocols,
 * session ticket keys), shared by every child. */
static int post_config(mh_server *main)
{
    if (ssl_cache_init(main) != 0) return 500;
    for (mh_server *s = main; s; s = ssl_api->next_server(s)) {
        ssl_server_conf *c = ssl_api->server_config(s, &ssl_module);
        if (!c || c->engine != 1 || c->ctx) continue;  /* a vhost without SSL directives shares main's */
        if (ssl_build_context(c, s) != 0) {
            ssl_api->log_error(&ssl_module, MH_LOG_EMERG, 0, main, NULL, "AH02312: Fatal error initialising mod_ssl, exiting.");
            return 500;
        }
    }
    return MH_OK;
}

static void free_contexts(void *data)
{
    ssl_server_conf *c = data;
    if (c->ctx) SSL_CTX_free(c->ctx);
    c->ctx = NULL;
}

static void *create_server_config(mh_pool *pool)
{
    ssl_server_conf *c = ssl_create_server_config(pool);
    ssl_api->pool_cleanup(pool, free_contexts, c);
    return c;
}

static void *merge_server_config(mh_pool *pool, const void *base, const void *add)
{
    ssl_server_conf *c = ssl_merge_server_config(pool, base, add);
    ssl_api->pool_cleanup(pool, free_contexts, c);
    return c;
}

static void register_hooks(const mh_api *api, const mh_module *self)
{
    (void)self;
    ssl_api = api;
    if (!MH_API_HAS(api, connection_var)) return;  /* a server before ABI 1.4 has no transports */
    /* Each configuration starts from Apache's default: no session cache. */
    ssl_global.cache_kind = SSL_CACHE_NONE;
    ssl_global.cache_size = 512000;
    api->hook_post_config(&ssl_module, post_config, MH_HOOK_MIDDLE);
    api->hook_create_transport(&ssl_module, ssl_create_transport, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(ssl_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    ssl_commands,
    NULL, NULL,
    create_server_config,
    register_hooks,
    NULL,
    merge_server_config,
};
