/*
 * A running script's three pipes. The request body goes to its stdin while
 * its stdout is gathered (up to the header block's limit) and its stderr
 * logged line by line, so that neither side waits on the other; then the
 * header block is read by the core (scan_script_header) and the body streamed to the client. Every wait
 * is bounded by Timeout: a script silent that long is killed (504 before
 * its headers, Apache's AH01220).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cgi.h"

#define HEAD_MAX 65536 /* stdout held before the header block ends */
#define ERR_LINE_MAX 8192
#define CHUNK 16384

typedef struct run {
    mh_request *r;
    cgi_proc *p;
    int timeout_ms;
    char *out;          /* stdout gathered before the headers are parsed */
    size_t out_len;
    int out_eof;
    char err_line[ERR_LINE_MAX];
    size_t err_len;
} run;

enum { IO_READY, IO_TIMEOUT };

static void log_stderr(run *x, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '\r') n--;
    cgi_api->log_error(&cgi_module, MH_LOG_ERR, 0, NULL, x->r, "AH01215: %.*s: %s", (int)n, s,
                       cgi_api->filename(x->r));
}

/* What stderr has now, logged a line at a time (a partial line waits). */
static void drain_stderr(run *x)
{
    cgi_proc *p = x->p;
    while (p->err >= 0) {
        ssize_t n = read(p->err, x->err_line + x->err_len, sizeof x->err_line - x->err_len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            if (x->err_len) log_stderr(x, x->err_line, x->err_len);
            x->err_len = 0;
            close(p->err);
            p->err = -1;
            return;
        }
        x->err_len += (size_t)n;
        char *start = x->err_line, *nl;
        while ((nl = memchr(start, '\n', x->err_len - (size_t)(start - x->err_line))) != NULL) {
            log_stderr(x, start, (size_t)(nl - start));
            start = nl + 1;
        }
        x->err_len -= (size_t)(start - x->err_line);
        memmove(x->err_line, start, x->err_len);
        if (x->err_len == sizeof x->err_line) { /* a very long line: in pieces */
            log_stderr(x, x->err_line, x->err_len);
            x->err_len = 0;
        }
    }
}

/* Stdout into the header buffer, as far as it has room. */
static void gather_stdout(run *x)
{
    cgi_proc *p = x->p;
    while (p->out >= 0 && x->out_len < HEAD_MAX) {
        ssize_t n = read(p->out, x->out + x->out_len, HEAD_MAX - x->out_len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            x->out_eof = 1;
            close(p->out);
            p->out = -1;
            return;
        }
        x->out_len += (size_t)n;
    }
}

/* Waits until `fd` (POLLIN or POLLOUT) is ready, logging stderr and, when
 * asked, gathering stdout meanwhile. IO_TIMEOUT after Timeout of silence. */
static int wait_for(run *x, int fd, short events, int gather)
{
    for (;;) {
        struct pollfd pfd[3];
        nfds_t n = 0;
        if (fd >= 0) pfd[n++] = (struct pollfd){fd, events, 0};
        if (x->p->err >= 0) pfd[n++] = (struct pollfd){x->p->err, POLLIN, 0};
        int gathering = gather && x->p->out >= 0 && fd != x->p->out && x->out_len < HEAD_MAX;
        if (gathering) pfd[n++] = (struct pollfd){x->p->out, POLLIN, 0};
        if (n == 0) return IO_READY;
        int rv = poll(pfd, n, x->timeout_ms);
        if (rv < 0 && errno == EINTR) continue;
        if (rv == 0) return IO_TIMEOUT;
        drain_stderr(x);
        if (gathering) gather_stdout(x);
        if (fd < 0 || pfd[0].revents) return IO_READY;
    }
}

/* The request body to the script's stdin. MH_OK, or a status. */
static int feed_body(run *x)
{
    mh_request *r = x->r;
    cgi_proc *p = x->p;
    if (cgi_api->body_length(r) == 0) return MH_OK;
    char buf[CHUNK];
    for (;;) {
        long n = cgi_api->read_body(r, buf, sizeof buf);
        if (n < 0) {
            int status = cgi_api->status(r);
            return status >= 400 ? status : 400;
        }
        if (n == 0) return MH_OK;
        size_t done = 0;
        while (p->in >= 0 && done < (size_t)n) {
            ssize_t w = write(p->in, buf + done, (size_t)n - done);
            if (w > 0) {
                done += (size_t)w;
            } else if (w < 0 && errno == EAGAIN) {
                if (wait_for(x, p->in, POLLOUT, 1) == IO_TIMEOUT) {
                    cgi_api->log_error(&cgi_module, MH_LOG_ERR, 0, NULL, r,
                                       "AH01220: Timeout waiting for output from CGI script %s",
                                       cgi_api->filename(r));
                    return 504;
                }
            } else if (!(w < 0 && errno == EINTR)) {
                /* The script stopped reading (EPIPE): the rest is not its. */
                close(p->in);
                p->in = -1;
            }
        }
        if (p->in < 0) return MH_OK;
    }
}

/* Where the header block ends: its length plus one, and *body where what
 * follows the blank line starts; 0 when the block is not complete yet. */
static size_t header_end(const char *s, size_t n, size_t *body)
{
    size_t line = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n') continue;
        size_t len = i - line;
        if (len == 0 || (len == 1 && s[line] == '\r')) {
            *body = i + 1;
            return line + 1; /* the block, and one byte for its terminating NUL */
        }
        line = i + 1;
    }
    return 0;
}

/* The gathered stdout, a line at a time, for scan_script_header. */
typedef struct lines {
    const char *s;
    size_t pos, end;
} lines;

static int next_line(void *data, char *buf, size_t n)
{
    lines *l = data;
    if (l->pos >= l->end) return 0;
    const char *start = l->s + l->pos;
    const char *nl = memchr(start, '\n', l->end - l->pos);
    size_t len = nl ? (size_t)(nl - start) : l->end - l->pos;
    size_t take = len < n - 1 ? len : n - 1;
    l->pos += len + (nl != NULL);
    memcpy(buf, start, take);
    buf[take] = '\0';
    return 1;
}

/* Apache's page for a 302 made from a Location the script gave. */
static int send_redirect(mh_request *r, const char *location)
{
    mh_pool *pool = cgi_api->request_pool(r);
    const char *body = cgi_api->psprintf(pool,
        "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>302 Found</title>\n"
        "</head><body>\n<h1>Found</h1>\n<p>The document has moved <a href=\"%s\">here</a>.</p>\n%s</body></html>\n",
        cgi_api->escape_html(pool, location), cgi_api->server_signature(r, "<hr>\n"));
    cgi_api->set_status(r, 302);
    cgi_api->set_content_type(r, "text/html; charset=iso-8859-1");
    cgi_api->set_content_length(r, (int64_t)strlen(body));
    cgi_api->puts(r, body);
    return MH_OK;
}

/* The body after the header block, to the client. */
static int stream_body(run *x, const char *first, size_t n)
{
    mh_request *r = x->r;
    cgi_proc *p = x->p;
    if (n > 0 && cgi_api->write(r, first, n) != 0) return cgi_proc_end(r, p, 1), MH_OK;
    char buf[CHUNK];
    while (p->out >= 0) {
        ssize_t got = read(p->out, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == EAGAIN) {
            if (cgi_api->flush(r) != 0) return cgi_proc_end(r, p, 1), MH_OK; /* the client left */
            if (wait_for(x, p->out, POLLIN, 0) == IO_TIMEOUT) {
                /* The headers are out: the status ends the connection after
                 * what was sent. */
                cgi_api->log_error(&cgi_module, MH_LOG_ERR, 0, NULL, r,
                                   "AH01220: Timeout waiting for output from CGI script %s", cgi_api->filename(r));
                cgi_proc_end(r, p, 1);
                return 504;
            }
            continue;
        }
        if (got <= 0) break;
        if (cgi_api->write(r, buf, (size_t)got) != 0) return cgi_proc_end(r, p, 1), MH_OK;
    }
    /* Its last words on stderr, while it exits. */
    while (p->err >= 0 && wait_for(x, -1, 0, 0) == IO_READY) continue;
    cgi_proc_end(r, p, 0);
    return MH_OK;
}

int cgi_run(mh_request *r, cgi_proc *p)
{
    mh_server *s = cgi_api->request_server(r);
    run x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.p = p;
    x.timeout_ms = (MH_API_HAS(cgi_api, server_timeout) ? cgi_api->server_timeout(s) : 60) * 1000;
    x.out = cgi_api->palloc(cgi_api->request_pool(r), HEAD_MAX);

    int rv = feed_body(&x);
    if (rv != MH_OK) return cgi_proc_end(r, p, 1), rv;
    if (p->in >= 0) {
        close(p->in);
        p->in = -1;
    }

    size_t head_len, body_at = 0;
    while ((head_len = header_end(x.out, x.out_len, &body_at)) == 0 && !x.out_eof) {
        if (x.out_len >= HEAD_MAX) {
            cgi_api->log_error(&cgi_module, MH_LOG_ERR, 0, NULL, r,
                               "AH01221: malformed header from script '%s': Bad header: header block too long",
                               cgi_script_name(r));
            return cgi_proc_end(r, p, 1), 500;
        }
        if (wait_for(&x, p->out, POLLIN, 0) == IO_TIMEOUT) {
            cgi_api->log_error(&cgi_module, MH_LOG_ERR, 0, NULL, r,
                               "AH01220: Timeout waiting for output from CGI script %s", cgi_api->filename(r));
            return cgi_proc_end(r, p, 1), 504;
        }
        gather_stdout(&x);
    }
    if (head_len == 0) { /* the output ended first: the script is done */
        drain_stderr(&x);
        cgi_proc_end(r, p, 0);
        body_at = x.out_len;
    }

    lines block = {x.out, 0, body_at}; /* with its blank line, when it came */
    rv = cgi_api->scan_script_header(r, next_line, &block, cgi_script_name(r));
    if (rv != MH_OK && rv != MH_SCRIPT_REDIRECT) return head_len ? (cgi_proc_end(r, p, 1), rv) : rv;
    if (rv == MH_SCRIPT_REDIRECT) {
        /* The script's own body is not wanted (Apache discards it). */
        const char *location = cgi_api->header_out(r, "Location");
        cgi_proc_end(r, p, 0);
        if (location[0] == '/') {
            int ended = cgi_api->internal_redirect(r, location);
            return ended == 0 ? MH_OK : ended;
        }
        return send_redirect(r, location);
    }
    return stream_body(&x, x.out + body_at, x.out_len - body_at);
}
