/*
 * The backend's response: its head onto the request's response (less the
 * hop-by-hop headers, ProxyPassReverse applied), then the body streamed to
 * the client with the backend's length when it gave one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

#define PH_MAX_LINE 8190     /* Apache's LimitRequestFieldSize, for responses too */
#define PH_MAX_HEADERS 100

static const char *where(mh_request *r, const mh_proxy_target *t)
{
    if (t->unix_path) return ph_api->psprintf(ph_api->request_pool(r), "unix:%s", t->unix_path);
    return ph_api->psprintf(ph_api->request_pool(r), "%s:%d", t->host, t->port);
}

/* A failure to read the head: 504 for a timeout, 502 otherwise. */
static int head_failed(mh_request *r, const mh_proxy_target *t, int eof, int err)
{
    if (!eof && err == ETIMEDOUT) {
        ph_api->log_error(&proxy_http_module, MH_LOG_ERR, ETIMEDOUT, NULL, r,
                          "AH01102: error reading status line from remote server %s", where(r, t));
        return 504;
    }
    ph_api->log_error(&proxy_http_module, MH_LOG_ERR, eof ? 0 : err, NULL, r,
                      "AH01102: error reading status line from remote server %s", where(r, t));
    return 502;
}

/* "HTTP/1.1 200 OK": the status, or -1. */
static int parse_status_line(const char *line, int *http11)
{
    if (strncmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') || line[8] != ' ') return -1;
    *http11 = line[7] == '1';
    const char *s = line + 9;
    if (s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9') return -1;
    if (s[3] != '\0' && s[3] != ' ') return -1;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

typedef struct header_line {
    char *name, *value;
} header_line;

/* The header lines up to the empty one; the count, or -1 (errno set,
 * *eof at a premature end). */
static int read_headers(mh_request *r, ph_conn *c, header_line *h, int *eof)
{
    int n = 0;
    for (;;) {
        char *line = ph_read_line(r, c, PH_MAX_LINE, eof);
        if (line == NULL) return -1;
        if (*line == '\0') return n;
        if ((*line == ' ' || *line == '\t') && n > 0) { /* obsolete folding */
            h[n - 1].value = ph_api->psprintf(ph_api->request_pool(r), "%s %s", h[n - 1].value, line + 1);
            continue;
        }
        char *colon = strchr(line, ':');
        if (colon == NULL || colon == line || n == PH_MAX_HEADERS) {
            errno = EPROTO;
            return -1;
        }
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t') ++v;
        size_t len = strlen(v);
        while (len && (v[len - 1] == ' ' || v[len - 1] == '\t')) v[--len] = '\0';
        h[n].name = line;
        h[n].value = v;
        ++n;
    }
}

static int parse_length(const char *v, int64_t *out)
{
    char *end;
    if (*v < '0' || *v > '9') return -1;
    long long n = strtoll(v, &end, 10);
    if (*end != '\0' || n < 0) return -1;
    *out = n;
    return 0;
}

/* The head onto the request's response. */
static int apply_head(mh_request *r, const mh_proxy_target *t, const header_line *h, int n, ph_response *resp)
{
    const char *connection = NULL;
    for (int i = 0; i < n; ++i) {
        if (strcasecmp(h[i].name, "Connection") == 0)
            connection = connection ? ph_api->psprintf(ph_api->request_pool(r), "%s, %s", connection, h[i].value)
                                    : h[i].value;
        if (strcasecmp(h[i].name, "Transfer-Encoding") == 0) resp->chunked = strcasecmp(h[i].value, "chunked") == 0;
    }
    resp->close = connection && (strcasestr(connection, "close") != NULL);
    if (!resp->http11 && !(connection && strcasestr(connection, "keep-alive"))) resp->close = 1;
    ph_api->set_status(r, resp->status);
    for (int i = 0; i < n; ++i) {
        const char *name = h[i].name, *value = h[i].value;
        if (ph_hop_by_hop(name, connection)) continue;
        /* The core writes its own Date and Server. */
        if (strcasecmp(name, "Date") == 0 || strcasecmp(name, "Server") == 0) continue;
        if (strcasecmp(name, "Content-Length") == 0) {
            int64_t len;
            if (parse_length(value, &len) < 0 || (resp->length >= 0 && resp->length != len)) return -1;
            if (!resp->chunked) resp->length = len;
            continue;
        }
        if (strcasecmp(name, "Content-Type") == 0) {
            ph_api->set_content_type(r, value);
            continue;
        }
        if (strcasecmp(name, "Location") == 0 || strcasecmp(name, "Content-Location") == 0 ||
            strcasecmp(name, "URI") == 0)
            value = t->reverse_map(r, value);
        ph_api->header_out_add(r, name, value);
    }
    if (resp->chunked) resp->length = -1;
    return 0;
}

int ph_read_head(mh_request *r, const mh_proxy_target *t, ph_conn *c, ph_response *resp, int may_retry)
{
    header_line *h = ph_api->palloc(ph_api->request_pool(r), sizeof(header_line) * PH_MAX_HEADERS);
    memset(resp, 0, sizeof *resp);
    for (;;) {
        int eof = 0;
        size_t before = c->len - c->pos;
        char *line = ph_read_line(r, c, PH_MAX_LINE, &eof);
        if (line == NULL) {
            int err = errno;
            resp->got_bytes = c->len - c->pos > 0 || before > 0;
            /* A kept connection the backend closed meanwhile: not an error
             * yet, the caller tries a fresh one. */
            if (may_retry && !resp->got_bytes && (eof || err == ECONNRESET || err == EPIPE)) return PH_RETRY;
            return head_failed(r, t, eof, err);
        }
        resp->got_bytes = 1;
        resp->status = parse_status_line(line, &resp->http11);
        if (resp->status < 0) {
            ph_api->log_error(&proxy_http_module, MH_LOG_ERR, 0, NULL, r,
                              "AH01102: error reading status line from remote server %s", where(r, t));
            return 502;
        }
        int n = read_headers(r, c, h, &eof);
        if (n < 0) {
            int err = errno;
            if (err == ETIMEDOUT) return head_failed(r, t, 0, err);
            ph_api->log_error(&proxy_http_module, MH_LOG_ERR, eof ? 0 : err, NULL, r,
                              "AH01104: bad HTTP/%s header returned by %s (%s)", resp->http11 ? "1.1" : "1.0",
                              ph_api->request_path(r), where(r, t));
            return 502;
        }
        if (resp->status >= 200 || resp->status == 101) {
            resp->length = -1;
            if (resp->status == 101 || apply_head(r, t, h, n, resp) < 0) {
                ph_api->log_error(&proxy_http_module, MH_LOG_ERR, 0, NULL, r,
                                  "AH01104: bad HTTP/%s header returned by %s (%s)", resp->http11 ? "1.1" : "1.0",
                                  ph_api->request_path(r), where(r, t));
                return 502;
            }
            return MH_OK;
        }
        /* 1xx interim responses: the client got its own 100 Continue. */
    }
}

/* ---- the body ------------------------------------------------------------ */

/* Why the copy stopped. */
enum { COPY_DONE = 0, COPY_CLIENT_GONE = 1, COPY_BACKEND_FAILED = 2 };

static int to_client(mh_request *r, const char *data, size_t n)
{
    if (ph_api->header_only(r) || n == 0) return COPY_DONE;
    return ph_api->write(r, data, n) < 0 ? COPY_CLIENT_GONE : COPY_DONE;
}

/* `length` bytes, or up to the end when length < 0. */
static int copy_counted(mh_request *r, ph_conn *c, int64_t length)
{
    char buf[PH_BUFSIZE];
    while (length != 0) {
        size_t want = length < 0 || length > (int64_t)sizeof buf ? sizeof buf : (size_t)length;
        long n = ph_read(c, buf, want);
        if (n == 0 && length < 0) return COPY_DONE;
        if (n <= 0) return COPY_BACKEND_FAILED;
        int rv = to_client(r, buf, (size_t)n);
        if (rv != COPY_DONE) return rv;
        if (length > 0) length -= n;
    }
    return COPY_DONE;
}

static int copy_chunked(mh_request *r, ph_conn *c)
{
    for (;;) {
        int eof;
        char *line = ph_read_line(r, c, PH_MAX_LINE, &eof);
        if (line == NULL) return COPY_BACKEND_FAILED;
        char *end;
        errno = 0;
        unsigned long long size = strtoull(line, &end, 16);
        if (end == line || errno || (*end != '\0' && *end != ';' && *end != ' ' && *end != '\t'))
            return COPY_BACKEND_FAILED;
        if (size == 0) {
            /* Trailers are dropped (hop-by-hop here), up to the empty line. */
            do line = ph_read_line(r, c, PH_MAX_LINE, &eof);
            while (line && *line);
            return line ? COPY_DONE : COPY_BACKEND_FAILED;
        }
        int rv = copy_counted(r, c, (int64_t)size);
        if (rv != COPY_DONE) return rv;
        line = ph_read_line(r, c, PH_MAX_LINE, &eof);
        if (line == NULL || *line) return COPY_BACKEND_FAILED;
    }
}

int ph_copy_body(mh_request *r, const mh_proxy_target *t, ph_conn *c, const ph_response *resp)
{
    const int status = resp->status;
    int rv;
    if (strcmp(ph_api->request_method(r), "HEAD") == 0 || status == 204 || status == 304 || status < 200) {
        /* No body follows, whatever the length says. */
        if (resp->length >= 0) ph_api->set_content_length(r, resp->length);
        return !resp->close;
    }
    if (resp->length >= 0) ph_api->set_content_length(r, resp->length);
    if (resp->chunked) rv = copy_chunked(r, c);
    else rv = copy_counted(r, c, resp->length);
    if (rv == COPY_BACKEND_FAILED) {
        int err = errno;
        ph_api->log_error(&proxy_http_module, MH_LOG_ERR, err, NULL, r,
                          "AH01110: error reading response from %s", where(r, t));
        return err == ETIMEDOUT ? 504 : 502;
    }
    if (rv == COPY_CLIENT_GONE) return 0; /* the backend's connection goes too */
    return !resp->close && (resp->chunked || resp->length >= 0);
}
