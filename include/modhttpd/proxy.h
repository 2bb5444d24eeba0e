/*
 * modhttpd module ABI (1.3): reverse-proxy scheme handlers.
 *
 * As in Apache 2.4, mod_proxy owns the directives and decides which backend
 * URL a request goes to (ProxyPass, ProxyPassMatch, SetHandler "proxy:...");
 * the module that speaks the URL's scheme does the exchange. mod_proxy finds
 * it by the scheme's name:
 *
 *   api->lookup_provider(MH_PROXY_PROVIDER_GROUP, "http", MH_PROXY_PROVIDER_VERSION)
 *
 * mod_proxy_http registers "http", mod_proxy_fcgi "fcgi". A third-party
 * module adds a scheme from its register_hooks:
 *
 *     api->register_provider(self, MH_PROXY_PROVIDER_GROUP, "scgi",
 *                            MH_PROXY_PROVIDER_VERSION, &scgi_scheme);
 */
#ifndef MODHTTPD_PROXY_H
#define MODHTTPD_PROXY_H

#include <stdint.h>

#include "modhttpd/module.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MH_PROXY_PROVIDER_GROUP "proxy"
#define MH_PROXY_PROVIDER_VERSION "1"

typedef struct mh_proxy_target mh_proxy_target;

/* Where a request goes, as mod_proxy worked it out. Read-only for the
 * scheme handler; strings live in the request's pool. Grows at the end. */
struct mh_proxy_target {
    uint32_t struct_size;
    const char *url;         /* "http://127.0.0.1:8080/app/x?q=1", as mapped */
    const char *scheme;      /* "http", "fcgi" */
    const char *host;        /* "127.0.0.1" (brackets of an IPv6 literal removed) */
    int port;                /* the URL's, else the scheme's default */
    const char *unix_path;   /* "unix:/run/x.sock|fcgi://localhost": the socket; else NULL */
    const char *uri;         /* what to ask the backend for: escaped path and query */
    /* The backend's file, for FastCGI's SCRIPT_FILENAME: the URL's path,
     * decoded (ProxyPass), or the request's file name (SetHandler). */
    const char *script_filename;
    int timeout_ms;          /* ProxyPass timeout=, else ProxyTimeout, else Timeout */
    int connect_timeout_ms;  /* ProxyPass connectiontimeout=, else timeout_ms */
    int reuse;               /* backend connections may be kept for later requests */
    int preserve_host;       /* ProxyPreserveHost On: pass the client's Host */
    int add_headers;         /* ProxyAddHeaders On: X-Forwarded-* */

    /* [worker] Services of mod_proxy. */
    /* A new connection to the backend (TCP or the unix socket), within
     * connect_timeout_ms: the descriptor, or -1 with the failure logged
     * (AH00957) and errno set. The caller closes it. */
    int (*connect)(mh_request *r, const mh_proxy_target *t);
    /* ProxyPassReverse: `value` of a Location, Content-Location or URI
     * response header mapped back onto this server, or `value` itself. */
    const char *(*reverse_map)(mh_request *r, const char *value);
};

typedef struct mh_proxy_scheme {
    uint32_t struct_size;
    /* [worker] Serves `r` from the backend of `t`: MH_OK once a response
     * went out, or a status (502 for a backend that cannot be reached or
     * answers nonsense, 504 when it does not answer in time). */
    int (*handle)(mh_request *r, const mh_proxy_target *t);
} mh_proxy_scheme;

#ifdef __cplusplus
}
#endif

#endif
