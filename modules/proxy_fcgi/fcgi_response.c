/*
 * The application's answer: FCGI_STDOUT is a CGI response (headers, an
 * empty line, the body), FCGI_STDERR goes to the error log, and
 * FCGI_END_REQUEST ends it. The headers are read by the core
 * (scan_script_header), a line at a time from the records.
 */
#include <errno.h>
#include <string.h>

#include "proxy_fcgi.h"

/* Longest header line the core takes, and so what may wait for its end. */
#define PF_LINE_MAX 8192

typedef struct relay {
    mh_request *r;
    pf_conn *c;
    const char *where;   /* the backend, for log lines */
    unsigned char *rec;  /* one record's content */
    char *out;           /* FCGI_STDOUT not used yet: out[pos..len) */
    size_t pos, len;
    int headers_done;
    int ended;           /* FCGI_END_REQUEST came */
    int client_gone;
} relay;

static void write_body(relay *rl, const char *data, size_t n)
{
    if (rl->client_gone || n == 0 || pf_api->header_only(rl->r)) return;
    if (pf_api->write(rl->r, data, n) < 0) rl->client_gone = 1;
}

static void on_stderr(mh_request *r, const char *msg, size_t n)
{
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) --n;
    if (n) pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, 0, NULL, r, "AH01071: Got error '%.*s'", (int)n, msg);
}

/* The next record: stdout kept (headers) or sent (body), stderr logged.
 * 0, or 502/504 (logged). */
static int next_record(relay *rl)
{
    size_t n = 0;
    int type = pf_read_record(rl->c, rl->rec, &n);
    if (type <= 0) {
        int err = type < 0 ? errno : 0;
        pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, err, NULL, rl->r,
                          "AH01075: Error dispatching request to %s: %s", rl->where,
                          err == ETIMEDOUT ? "(polling)" : "the connection ended before the response");
        return err == ETIMEDOUT ? 504 : 502;
    }
    if (type == PF_STDOUT && rl->headers_done) {
        write_body(rl, (const char *)rl->rec, n);
    } else if (type == PF_STDOUT) {
        memmove(rl->out, rl->out + rl->pos, rl->len - rl->pos);
        rl->len -= rl->pos;
        rl->pos = 0;
        memcpy(rl->out + rl->len, rl->rec, n);
        rl->len += n;
    } else if (type == PF_STDERR) {
        on_stderr(rl->r, (const char *)rl->rec, n);
    } else if (type == PF_END_REQUEST) {
        rl->ended = 1;
    }
    return 0;
}

/* scan_script_header's getline: a line of stdout, reading records until
 * one is complete. Less than a line waits in `out`, so it holds at most
 * PF_LINE_MAX bytes before a record is added. */
static int next_line(void *data, char *buf, size_t n)
{
    relay *rl = data;
    for (;;) {
        const char *at = rl->out + rl->pos;
        size_t have = rl->len - rl->pos;
        const char *nl = memchr(at, '\n', have);
        if (nl || have >= n - 1 || (rl->ended && have)) {
            size_t len = nl ? (size_t)(nl - at) : have;
            size_t take = len < n - 1 ? len : n - 1;
            memcpy(buf, at, take);
            buf[take] = '\0';
            rl->pos += nl ? len + 1 : take;
            return 1;
        }
        if (rl->ended) {
            pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, 0, NULL, rl->r,
                              "AH01070: Error parsing script headers from %s: no end of headers", rl->where);
            return 502;
        }
        int status = next_record(rl);
        if (status) return status;
    }
}

int pf_relay_response(mh_request *r, const mh_proxy_target *t, pf_conn *c)
{
    mh_pool *pool = pf_api->request_pool(r);
    relay rl;
    memset(&rl, 0, sizeof rl);
    rl.r = r;
    rl.c = c;
    rl.where = t->unix_path ? t->unix_path : pf_api->psprintf(pool, "%s:%d", t->host, t->port);
    rl.rec = pf_api->palloc(pool, PF_MAX_CONTENT + 1);
    rl.out = pf_api->palloc(pool, PF_LINE_MAX + PF_MAX_CONTENT + 1);

    const char *who = t->script_filename ? t->script_filename : rl.where;
    int rv = pf_api->scan_script_header(r, next_line, &rl, who);
    if (rv == 500) { /* malformed (logged): the backend answered nonsense */
        pf_api->log_error(&proxy_fcgi_module, MH_LOG_ERR, 0, NULL, r, "AH01070: Error parsing script headers from %s",
                          rl.where);
        return 502;
    }
    if (rv != MH_OK && rv != MH_SCRIPT_REDIRECT) return rv;
    /* A Location without a Status is a 302, the body passed on as is;
     * FastCGI frames the body itself: the core decides its length. */
    if (rv == MH_SCRIPT_REDIRECT) pf_api->set_status(r, 302);
    pf_api->set_content_length(r, -1);
    rl.headers_done = 1;
    write_body(&rl, rl.out + rl.pos, rl.len - rl.pos);
    while (!rl.ended && !rl.client_gone) {
        rv = next_record(&rl);
        if (rv) return rv;
    }
    return MH_OK; /* with the client gone the caller closes the backend's connection */
}
