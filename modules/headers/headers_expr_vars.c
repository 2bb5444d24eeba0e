/*
 * The variables (%{NAME}) and string functions (%{func:arg}, func(arg)) of
 * Apache's ap_expr that a modhttpd request can answer truthfully. Names
 * compare without case, as in Apache. Variables Apache has but the module
 * ABI cannot supply (CONTENT_TYPE, PATH_INFO, ...) are refused at
 * configuration time rather than evaluated to a wrong value.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "headers_expr_int.h"

enum {
    V_HTTP_ACCEPT, V_HTTP_COOKIE, V_HTTP_FORWARDED, V_HTTP_HOST, V_HTTP_PROXY_CONNECTION, V_HTTP_REFERER,
    V_HTTP_USER_AGENT, V_REQUEST_METHOD, V_REQUEST_SCHEME, V_REQUEST_URI, V_DOCUMENT_URI, V_REQUEST_FILENAME,
    V_SCRIPT_FILENAME, V_QUERY_STRING, V_THE_REQUEST, V_REMOTE_ADDR, V_CONN_REMOTE_ADDR, V_REMOTE_PORT,
    V_REMOTE_HOST, V_REMOTE_USER, V_REMOTE_IDENT, V_SERVER_NAME, V_SERVER_PORT, V_SERVER_PROTOCOL,
    V_DOCUMENT_ROOT, V_AUTH_TYPE, V_HANDLER, V_REQUEST_STATUS, V_HTTPS, V_IPV6, V_IS_SUBREQ, V_SERVER_SOFTWARE,
    V_TIME_YEAR, V_TIME_MON, V_TIME_DAY, V_TIME_HOUR, V_TIME_MIN, V_TIME_SEC, V_TIME_WDAY, V_TIME
};

static const char *const var_names[] = {
    "HTTP_ACCEPT", "HTTP_COOKIE", "HTTP_FORWARDED", "HTTP_HOST", "HTTP_PROXY_CONNECTION", "HTTP_REFERER",
    "HTTP_USER_AGENT", "REQUEST_METHOD", "REQUEST_SCHEME", "REQUEST_URI", "DOCUMENT_URI", "REQUEST_FILENAME",
    "SCRIPT_FILENAME", "QUERY_STRING", "THE_REQUEST", "REMOTE_ADDR", "CONN_REMOTE_ADDR", "REMOTE_PORT",
    "REMOTE_HOST", "REMOTE_USER", "REMOTE_IDENT", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL",
    "DOCUMENT_ROOT", "AUTH_TYPE", "HANDLER", "REQUEST_STATUS", "HTTPS", "IPV6", "IS_SUBREQ", "SERVER_SOFTWARE",
    "TIME_YEAR", "TIME_MON", "TIME_DAY", "TIME_HOUR", "TIME_MIN", "TIME_SEC", "TIME_WDAY", "TIME", NULL
};

/* Apache's, but not knowable through the module ABI. */
static const char *const unavailable[] = {
    "CONTENT_TYPE", "PATH_INFO", "SERVER_ADMIN", "LAST_MODIFIED", "SCRIPT_USER", "SCRIPT_GROUP", "CONTEXT_PREFIX",
    "CONTEXT_DOCUMENT_ROOT", "REQUEST_LOG_ID", "CONN_LOG_ID", "HTTP2", "API_VERSION", NULL
};

static int find(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; ++i)
        if (strcasecmp(names[i], name) == 0) return i;
    return -1;
}

int hd_var_id(const char *name)
{
    int id = find(var_names, name);
    return id >= 0 ? id : find(unavailable, name) >= 0 ? -2 : -1;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static const char *time_var(mh_pool *p, int id)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int year = tm.tm_year + 1900;
    switch (id) {
    case V_TIME_YEAR: return hd_api->psprintf(p, "%04d", year);
    case V_TIME_MON: return hd_api->psprintf(p, "%02d", tm.tm_mon + 1);
    case V_TIME_DAY: return hd_api->psprintf(p, "%02d", tm.tm_mday);
    case V_TIME_HOUR: return hd_api->psprintf(p, "%02d", tm.tm_hour);
    case V_TIME_MIN: return hd_api->psprintf(p, "%02d", tm.tm_min);
    case V_TIME_SEC: return hd_api->psprintf(p, "%02d", tm.tm_sec);
    case V_TIME_WDAY: return hd_api->psprintf(p, "%d", tm.tm_wday);
    default:
        return hd_api->psprintf(p, "%04d%02d%02d%02d%02d%02d", year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                tm.tm_min, tm.tm_sec);
    }
}

const char *hd_var_value(mh_request *r, int id)
{
    static const char *const http[] = {"Accept", "Cookie", "Forwarded", "Host", "Proxy-Connection", "Referer",
                                       "User-Agent"};
    mh_pool *p = hd_api->request_pool(r);
    if (id <= V_HTTP_USER_AGENT) return hd_api->header_in(r, http[id]);
    if (id >= V_TIME_YEAR) return time_var(p, id);
    switch (id) {
    case V_REQUEST_METHOD: return hd_api->request_method(r);
    case V_REQUEST_SCHEME: return "http";
    case V_REQUEST_URI:
    case V_DOCUMENT_URI: return hd_api->request_path(r);
    case V_REQUEST_FILENAME:
    case V_SCRIPT_FILENAME: return hd_api->filename(r);
    case V_QUERY_STRING: return or_empty(hd_api->request_query(r));
    case V_THE_REQUEST: return hd_api->request_line(r);
    case V_REMOTE_ADDR:
    case V_CONN_REMOTE_ADDR:
    case V_REMOTE_HOST: return hd_api->client_ip(r); /* no lookups: Apache gives the address too */
    case V_REMOTE_PORT: return hd_api->psprintf(p, "%d", hd_api->client_port(r));
    case V_REMOTE_USER: return hd_api->user(r);
    case V_REMOTE_IDENT: return "";
    case V_SERVER_NAME: return hd_api->server_name(hd_api->request_server(r));
    case V_SERVER_PORT: return hd_api->psprintf(p, "%d", hd_api->local_port(r));
    case V_SERVER_PROTOCOL: return hd_api->request_protocol(r);
    case V_DOCUMENT_ROOT: return hd_api->document_root(r);
    case V_AUTH_TYPE: return hd_api->auth_type(r);
    case V_HANDLER: return hd_api->handler_name(r);
    case V_REQUEST_STATUS: return hd_api->psprintf(p, "%d", hd_api->status(r));
    case V_HTTPS: return "off";
    case V_IPV6: return strchr(or_empty(hd_api->client_ip(r)), ':') ? "on" : "off";
    case V_IS_SUBREQ: return "false";
    case V_SERVER_SOFTWARE: return hd_api->server_version;
    default: return NULL;
    }
}

enum { F_REQ, F_HTTP, F_REQ_NOVARY, F_RESP, F_REQENV, F_OSENV, F_NOTE, F_ENV, F_TOLOWER, F_TOUPPER, F_ESCAPE, F_UNESCAPE };

static const char *const func_names[] = {"req", "http", "req_novary", "resp", "reqenv", "osenv", "note", "env",
                                         "tolower", "toupper", "escape", "unescape", NULL};

int hd_func_id(const char *name) { return find(func_names, name); }

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static char *unescape(mh_pool *p, const char *s)
{
    char *out = hd_api->pstrdup(p, s), *d = out;
    for (; *s; ++s) {
        if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
            *d++ = (char)(hex(s[1]) * 16 + hex(s[2]));
            s += 2;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
    return out;
}

const char *hd_func_call(mh_request *r, int id, const char *arg)
{
    mh_pool *p = hd_api->request_pool(r);
    const char *v;
    switch (id) {
    case F_REQ:
    case F_HTTP:
    case F_REQ_NOVARY: return hd_api->header_in(r, arg);
    case F_RESP: return hd_api->table_get(hd_api->headers_out(r), arg);
    case F_REQENV: return hd_api->table_get(hd_api->subprocess_env(r), arg);
    case F_OSENV: return getenv(arg);
    case F_NOTE: return hd_api->table_get(hd_api->notes(r), arg);
    case F_ENV: /* Apache's order: note, then the request's environment, then the process's */
        if ((v = hd_api->table_get(hd_api->notes(r), arg)) != NULL) return v;
        if ((v = hd_api->table_get(hd_api->subprocess_env(r), arg)) != NULL) return v;
        return getenv(arg);
    case F_TOLOWER:
    case F_TOUPPER: {
        char *out = hd_api->pstrdup(p, arg);
        for (char *c = out; *c; ++c) *c = (char)(id == F_TOLOWER ? tolower((unsigned char)*c) : toupper((unsigned char)*c));
        return out;
    }
    case F_ESCAPE: return hd_api->escape_path(p, arg);
    case F_UNESCAPE: return unescape(p, arg);
    default: return NULL;
    }
}
