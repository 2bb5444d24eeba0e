/*
 * %{VARIABLE} as Apache's mod_rewrite reads it (lookup_variable), and the
 * expansion of a TestString or substitution (do_expand): \c, $N, %N,
 * %{VARIABLE}. An unknown variable is empty, as in Apache.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rewrite.h"

/* A request header; a header that was there goes into Vary (Host
 * excepted, as Apache: RFC 7231 7.1.4). */
static const char *header(rw_ctx *ctx, const char *name)
{
    const char *v = rw_api->header_in(ctx->r, name);
    if (v && strcasecmp(name, "Host") != 0)
        ctx->vary_this = ctx->vary_this ? rw_api->psprintf(ctx->p, "%s, %s", ctx->vary_this, name)
                                        : rw_api->pstrdup(ctx->p, name);
    return v;
}

static int is_https(rw_ctx *ctx)
{
    const char *v = rw_api->table_get(rw_api->subprocess_env(ctx->r), "HTTPS");
    return v && strcasecmp(v, "on") == 0;
}

/* The port the client named in Host, else the one it connected to
 * (ap_get_server_port under UseCanonicalName Off), on a server without
 * request_server_port. */
static const char *server_port(rw_ctx *ctx)
{
    const char *host = rw_api->header_in(ctx->r, "Host");
    if (host) {
        const char *end = host[0] == '[' ? strchr(host, ']') : host;
        const char *colon = end ? strrchr(end, ':') : NULL;
        if (colon && colon[1]) return colon + 1;
    }
    return rw_api->psprintf(ctx->p, "%d", rw_api->local_port(ctx->r));
}

static const char *time_var(rw_ctx *ctx, const char *name)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (!strcmp(name, "TIME"))
        return rw_api->psprintf(ctx->p, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                tm.tm_hour, tm.tm_min, tm.tm_sec);
    int v;
    if (!strcmp(name, "TIME_YEAR")) return rw_api->psprintf(ctx->p, "%04d", tm.tm_year + 1900);
    else if (!strcmp(name, "TIME_MON")) v = tm.tm_mon + 1;
    else if (!strcmp(name, "TIME_DAY")) v = tm.tm_mday;
    else if (!strcmp(name, "TIME_HOUR")) v = tm.tm_hour;
    else if (!strcmp(name, "TIME_MIN")) v = tm.tm_min;
    else if (!strcmp(name, "TIME_SEC")) v = tm.tm_sec;
    else if (!strcmp(name, "TIME_WDAY")) return rw_api->psprintf(ctx->p, "%d", tm.tm_wday);
    else return NULL;
    return rw_api->psprintf(ctx->p, "%02d", v);
}

static const char *lookup(rw_ctx *ctx, const char *name)
{
    mh_request *r = ctx->r;
    if (!strncasecmp(name, "HTTP:", 5)) return header(ctx, name + 5);
    if (!strncasecmp(name, "ENV:", 4)) {
        const char *v = rw_api->table_get(rw_api->subprocess_env(r), name + 4);
        return v ? v : getenv(name + 4);
    }
    if (!strcmp(name, "HTTP_HOST")) return header(ctx, "Host");
    if (!strcmp(name, "HTTP_USER_AGENT")) return header(ctx, "User-Agent");
    if (!strcmp(name, "HTTP_REFERER")) return header(ctx, "Referer");
    if (!strcmp(name, "HTTP_COOKIE")) return header(ctx, "Cookie");
    if (!strcmp(name, "HTTP_ACCEPT")) return header(ctx, "Accept");
    if (!strcmp(name, "HTTP_FORWARDED")) return header(ctx, "Forwarded");
    if (!strcmp(name, "HTTP_PROXY_CONNECTION")) return header(ctx, "Proxy-Connection");
    if (!strcmp(name, "REQUEST_URI")) return rw_api->request_path(r);
    if (!strcmp(name, "REQUEST_FILENAME") || !strcmp(name, "SCRIPT_FILENAME")) return ctx->filename;
    if (!strcmp(name, "REQUEST_METHOD")) return rw_api->request_method(r);
    if (!strcmp(name, "REQUEST_SCHEME")) return is_https(ctx) ? "https" : "http";
    if (!strcmp(name, "QUERY_STRING")) return ctx->query;
    if (!strcmp(name, "THE_REQUEST")) return rw_api->request_line(r);
    if (!strcmp(name, "REMOTE_ADDR")) return rw_api->client_ip(r);
    if (!strcmp(name, "REMOTE_HOST")) return rw_api->client_ip(r); /* HostnameLookups Off */
    if (!strcmp(name, "REMOTE_PORT")) return rw_api->psprintf(ctx->p, "%d", rw_api->client_port(r));
    if (!strcmp(name, "REMOTE_USER")) return rw_api->user(r);
    if (!strcmp(name, "AUTH_TYPE")) return rw_api->auth_type(r);
    if (!strcmp(name, "SERVER_NAME")) {
        if (MH_API_HAS(rw_api, request_server_name) && rw_api->request_server_name)
            return rw_api->request_server_name(r); /* UseCanonicalName in force */
        const char *h = rw_api->request_hostname(r);
        return h && *h ? h : rw_api->server_name(rw_api->request_server(r));
    }
    if (!strcmp(name, "SERVER_PORT")) {
        if (MH_API_HAS(rw_api, request_server_port) && rw_api->request_server_port)
            return rw_api->psprintf(ctx->p, "%d", rw_api->request_server_port(r));
        return server_port(ctx);
    }
    if (!strcmp(name, "SERVER_ADDR")) return rw_api->local_ip(r);
    if (!strcmp(name, "SERVER_PROTOCOL")) return rw_api->request_protocol(r);
    if (!strcmp(name, "SERVER_SOFTWARE")) return rw_api->server_version;
    if (!strcmp(name, "DOCUMENT_ROOT")) return rw_api->document_root(r);
    if (!strcmp(name, "HTTPS")) return is_https(ctx) ? "on" : "off";
    if (!strcmp(name, "IS_SUBREQ")) return "false";
    if (!strcmp(name, "PATH_INFO")) return MH_API_HAS(rw_api, path_info) ? rw_api->path_info(r) : "";
    if (!strncmp(name, "TIME", 4)) return time_var(ctx, name);
    return NULL;
}

/* A growing string in the request's pool. */
typedef struct buf {
    mh_pool *p;
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *s2 = rw_api->palloc(b->p, cap);
        if (b->n) memcpy(s2, b->s, b->n);
        b->s = s2;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void put_group(buf *b, const char *source, const mh_regmatch *m, int i)
{
    if (source && m[i].start >= 0 && m[i].end > m[i].start)
        put(b, source + m[i].start, (size_t)(m[i].end - m[i].start));
}

char *rw_expand(rw_ctx *ctx, const char *t)
{
    buf b = {ctx->p, NULL, 0, 0};
    put(&b, "", 0);
    while (*t) {
        const char *special = strpbrk(t, "\\$%");
        if (special == NULL) {
            put(&b, t, strlen(t));
            break;
        }
        put(&b, t, (size_t)(special - t));
        t = special;
        if (*t == '\\') {
            if (t[1]) put(&b, t + 1, 1), t += 2;
            else put(&b, t, 1), t += 1;
        } else if (t[0] == '%' && t[1] == '{' && strchr(t, '}')) {
            const char *close = strchr(t, '}');
            char *name = rw_api->pstrndup(ctx->p, t + 2, (size_t)(close - t - 2));
            const char *v = lookup(ctx, name);
            if (v) put(&b, v, strlen(v));
            t = close + 1;
        } else if (t[1] >= '0' && t[1] <= '9') {
            if (*t == '$') put_group(&b, ctx->rr_source, ctx->rr, t[1] - '0');
            else put_group(&b, ctx->rc_source, ctx->rc, t[1] - '0');
            t += 2;
        } else {
            /* Anything else is literal: ${map:key} too, there being no
             * RewriteMap. */
            put(&b, t, 1);
            t += 1;
        }
    }
    return b.s;
}
