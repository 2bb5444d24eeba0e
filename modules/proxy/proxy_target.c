/*
 * A backend URL taken apart, and the connection to it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "proxy.h"

/* Apache's defaults: http 80, fcgi 8000 (ap_proxy_port_of_scheme). */
static int default_port(const char *scheme)
{
    if (strcasecmp(scheme, "http") == 0) return 80;
    if (strcasecmp(scheme, "https") == 0) return 443;
    if (strcasecmp(scheme, "fcgi") == 0) return 8000;
    if (strcasecmp(scheme, "ws") == 0) return 80;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The path of the URL, %XX decoded, without the query. */
static char *decoded_path(mh_pool *p, const char *path)
{
    size_t n = strcspn(path, "?");
    char *out = px_api->palloc(p, n + 1), *o = out;
    for (size_t i = 0; i < n; ++i) {
        int hi, lo;
        if (path[i] == '%' && i + 2 < n && (hi = hexval(path[i + 1])) >= 0 && (lo = hexval(path[i + 2])) >= 0 &&
            (hi | lo) != 0) {
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = path[i];
        }
    }
    *o = '\0';
    return out;
}

const char *px_parse_target(mh_request *r, const char *url, mh_proxy_target *t)
{
    mh_pool *p = px_api->request_pool(r);
    const char *rest = url;
    t->url = url;
    t->unix_path = NULL;
    if (strncasecmp(rest, "unix:", 5) == 0) {
        const char *bar = strchr(rest, '|');
        if (bar == NULL || bar == rest + 5) return "a unix: URL needs 'unix:/path|scheme://host/'";
        t->unix_path = px_api->pstrndup(p, rest + 5, (size_t)(bar - rest - 5));
        if (strlen(t->unix_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) return "socket path too long";
        rest = bar + 1;
    }
    const char *colon = strstr(rest, "://");
    if (colon == NULL || colon == rest) return "no scheme";
    t->scheme = px_api->pstrndup(p, rest, (size_t)(colon - rest));
    const char *host = colon + 3;
    const char *host_end = host + strcspn(host, "/?");
    const char *port_sep = NULL;
    if (*host == '[') {
        const char *close = memchr(host, ']', (size_t)(host_end - host));
        if (close == NULL) return "bad IPv6 address";
        t->host = px_api->pstrndup(p, host + 1, (size_t)(close - host - 1));
        if (close + 1 < host_end && close[1] == ':') port_sep = close + 1;
    } else {
        port_sep = memchr(host, ':', (size_t)(host_end - host));
        t->host = px_api->pstrndup(p, host, (size_t)((port_sep ? port_sep : host_end) - host));
    }
    if (t->host[0] == '\0' && t->unix_path == NULL) return "no host";
    t->port = default_port(t->scheme);
    if (port_sep && port_sep + 1 < host_end) {
        char *end;
        long port = strtol(port_sep + 1, &end, 10);
        if (end != host_end || port < 1 || port > 65535) return "bad port";
        t->port = (int)port;
    }
    t->uri = *host_end == '/' ? host_end : px_api->psprintf(p, "/%s", host_end);
    t->script_filename = decoded_path(p, t->uri);
    return NULL;
}

/* Waits up to timeout_ms for a non-blocking connect(2) to finish. */
static int finish_connect(int fd, int timeout_ms)
{
    struct pollfd pfd = {fd, POLLOUT, 0};
    int n;
    do n = poll(&pfd, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    if (n == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    if (n < 0) return -1;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -1;
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

static int connect_addr(const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    if (connect(fd, sa, len) < 0 && (errno != EINPROGRESS || finish_connect(fd, timeout_ms) < 0)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (sa->sa_family != AF_UNIX) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

int px_connect(mh_request *r, const mh_proxy_target *t)
{
    int fd = -1;
    const char *where;
    mh_pool *p = px_api->request_pool(r);
    if (t->unix_path) {
        struct sockaddr_un sun;
        memset(&sun, 0, sizeof sun);
        sun.sun_family = AF_UNIX;
        strncpy(sun.sun_path, t->unix_path, sizeof sun.sun_path - 1);
        fd = connect_addr((struct sockaddr *)&sun, sizeof sun, t->connect_timeout_ms);
        where = px_api->psprintf(p, "unix:%s", t->unix_path);
    } else {
        struct addrinfo hints, *res = NULL;
        char port[8];
        memset(&hints, 0, sizeof hints);
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_ADDRCONFIG;
        snprintf(port, sizeof port, "%d", t->port);
        where = px_api->psprintf(p, "%s:%d", t->host, t->port);
        int rc = getaddrinfo(t->host, port, &hints, &res);
        if (rc != 0) {
            px_api->log_error(&proxy_module, MH_LOG_ERR, 0, NULL, r,
                              "AH00898: DNS lookup failure for: %s returned by %s: %s", t->host,
                              px_api->request_path(r), gai_strerror(rc));
            errno = EHOSTUNREACH;
            return -1;
        }
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next)
            fd = connect_addr(ai->ai_addr, ai->ai_addrlen, t->connect_timeout_ms);
        freeaddrinfo(res);
    }
    if (fd < 0) {
        int e = errno;
        px_api->log_error(&proxy_module, MH_LOG_ERR, e, NULL, r, "AH00957: %s: attempt to connect to %s (%s) failed",
                          t->scheme, where, t->host && *t->host ? t->host : where);
        errno = e;
    }
    return fd;
}
