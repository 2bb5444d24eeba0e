/*
 * mod_proxy internals, shared by its files (hidden visibility: the one
 * exported symbol is proxy_module, in mod_proxy.c).
 *
 *   mod_proxy.c      descriptor; translate_name (ProxyPass, ProxyPassMatch),
 *                    the handler that hands a request to its scheme's
 *                    provider
 *   proxy_config.c   the directives and the two configs
 *   proxy_map.c      Apache's prefix rule, the backend URL, ProxyPassReverse
 *   proxy_target.c   a backend URL taken apart (mh_proxy_target), connect()
 *
 * Every function runs [worker] unless marked [master].
 */
#ifndef MOD_PROXY_H
#define MOD_PROXY_H

#include <modhttpd/modhttpd.h>
#include <modhttpd/proxy.h>

MH_EXPORT extern const mh_module proxy_module;
extern const mh_api *px_api; /* kept by register_hooks */

/* The handler Apache gives a request that a ProxyPass mapped. */
#define PX_HANDLER "proxy-server"

/* key=value parameters of a ProxyPass line; -1 when not given. */
typedef struct px_params {
    int timeout_ms;
    int connect_timeout_ms;
    int reuse;   /* disablereuse=On -> 0, enablereuse=On -> 1 */
    int nocanon; /* pass the path as the client sent it */
} px_params;

/* One ProxyPass or ProxyPassMatch line; kept in configuration order, the
 * first that matches wins (as in Apache). */
typedef struct px_pass {
    const char *fake;      /* URL-path prefix, or the pattern as written */
    const mh_regex *regex; /* ProxyPassMatch */
    const char *real;      /* backend URL; NULL for "!" (not proxied) */
    px_params params;
    struct px_pass *next;
} px_pass;

/* One ProxyPassReverse line. */
typedef struct px_reverse {
    const char *fake; /* local URL-path */
    const char *real; /* backend URL prefix as it appears in headers */
    struct px_reverse *next;
} px_reverse;

typedef struct px_server_config {
    /* "ProxyPass URL" inside <Location>, fake = the section's path. The
     * core walks <Location> only after translate_name, so they are kept
     * here and matched as Apache's location walk would: the last section
     * that covers the path wins, and before any server-context line. */
    px_pass *section_passes;
    px_pass *passes;       /* server context, tried in translate_name */
    px_reverse *reverses;  /* server context */
    int timeout_ms;        /* ProxyTimeout; -1: the core's Timeout */
} px_server_config;

typedef struct px_dir_config {
    const char *section;   /* the <Location> path, NULL server-wide */
    px_reverse *reverses;  /* "ProxyPassReverse URL" inside it */
    int preserve_host;     /* -1: not set (Off) */
    int add_headers;       /* -1: not set (On) */
} px_dir_config;

/* ---- proxy_config.c ---------------------------------------------------- */
extern const mh_command px_commands[];
void *px_create_dir_config(mh_pool *p, const char *section);              /* [master] */
void *px_merge_dir_config(mh_pool *p, const void *base, const void *add); /* [master] or [worker] */
void *px_create_server_config(mh_pool *p);                                /* [master] */
void *px_merge_server_config(mh_pool *p, const void *base, const void *add); /* [master] */

/* ---- proxy_map.c ------------------------------------------------------- */
/* Apache's alias_match: how many characters of `uri` the prefix `fake`
 * covers (runs of '/' match runs of '/'), or 0. A plain prefix: "/app"
 * covers "/application" too, as in Apache. */
size_t px_prefix_length(const char *uri, const char *fake);
/* The backend URL for `rule` and the request (without "proxy:"), or NULL
 * when the rule does not match. An exclusion ("!") that matches gives "". */
const char *px_map(mh_request *r, const px_pass *rule);
/* The rule that maps the request (a <Location>'s, else the first
 * server-context one that matches), with its URL in *url ("" for an
 * exclusion); NULL when none does. */
const px_pass *px_route(mh_request *r, const px_server_config *sc, const char **url);
/* Percent-encodes a decoded path for the backend: Apache's canonical form. */
char *px_canon_path(mh_pool *p, const char *path);
const char *px_reverse_map(mh_request *r, const char *value);

/* ---- proxy_target.c ---------------------------------------------------- */
/* Takes `url` apart into *t ("http://h:p/x", "unix:/sock|fcgi://h/x");
 * NULL, or why it cannot be used. */
const char *px_parse_target(mh_request *r, const char *url, mh_proxy_target *t);
int px_connect(mh_request *r, const mh_proxy_target *t);

#endif
