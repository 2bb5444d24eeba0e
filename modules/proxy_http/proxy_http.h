/*
 * mod_proxy_http internals, shared by its files (hidden visibility: the
 * one exported symbol is proxy_http_module).
 *
 *   mod_proxy_http.c   descriptor; the "http" scheme provider: one exchange,
 *                      retried once on a fresh connection when a kept one
 *                      turns out closed
 *   http_conn.c        backend connections: the per-process keep-alive
 *                      pool, reads and writes bounded by the timeout
 *   http_request.c     the request to the backend: head and body
 *   http_response.c    the backend's response: head, then the body
 *                      streamed to the client
 *
 * Every function runs [worker] unless marked otherwise.
 */
#ifndef MOD_PROXY_HTTP_H
#define MOD_PROXY_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <modhttpd/modhttpd.h>
#include <modhttpd/proxy.h>

MH_EXPORT extern const mh_module proxy_http_module;
extern const mh_api *ph_api; /* kept by register_hooks */

#define PH_BUFSIZE 16384

/* One connection to a backend. malloc'ed: a kept one outlives requests. */
typedef struct ph_conn {
    int fd;
    int reused;            /* came from the pool */
    int timeout_ms;
    char key[160];         /* "host:port" or "unix:/path": the pool's key */
    size_t pos, len;       /* unread bytes are buf[pos, len) */
    char buf[PH_BUFSIZE];
} ph_conn;

/* ---- http_conn.c ------------------------------------------------------- */
/* A kept connection to t's backend that still looks open, or a new one;
 * NULL when it cannot connect (logged). */
ph_conn *ph_acquire(mh_request *r, const mh_proxy_target *t, int fresh);
/* Back to the pool when `keep` (and the pool has room), else closed. */
void ph_release(ph_conn *c, int keep);
void ph_pool_reset(void); /* [child] forget what the parent kept */
/* All of data, or -1 (errno ETIMEDOUT when the backend took too long). */
int ph_send(ph_conn *c, const void *data, size_t n);
/* More bytes into the buffer: >0, 0 at the end, -1 (errno set). */
long ph_fill(ph_conn *c);
/* Up to n buffered or freshly read bytes: >0, 0 at the end, -1. */
long ph_read(ph_conn *c, char *out, size_t n);
/* A line without its CRLF in the request's pool; NULL at the end (*eof 1)
 * or on an error, a timeout or a line over `max` bytes (errno set). */
char *ph_read_line(mh_request *r, ph_conn *c, size_t max, int *eof);

/* ---- http_request.c ---------------------------------------------------- */
/* The request head for the backend. */
char *ph_request_head(mh_request *r, const mh_proxy_target *t);
/* Sends the client's body (Content-Length or chunked), as it arrives.
 * 0, -1 when the backend failed (errno set), or the status read_body
 * left when the client failed (400, 408, 413). */
int ph_send_body(mh_request *r, ph_conn *c);
/* Whether the hop-by-hop header `name` is one never passed on, given the
 * Connection header's value. */
int ph_hop_by_hop(const char *name, const char *connection);

/* ---- http_response.c --------------------------------------------------- */
typedef struct ph_response {
    int status;
    int http11;
    int close;             /* Connection: close, or the body ends at the close */
    int chunked;
    int64_t length;        /* -1 when unknown */
    int got_bytes;         /* any byte of a response arrived */
} ph_response;
/* Reads the status line and headers (skipping 1xx) into the request's
 * response: MH_OK, or a status (502, 504) with the reason logged, or, with
 * `may_retry`, PH_RETRY when the connection closed before any byte. */
#define PH_RETRY (-100)
int ph_read_head(mh_request *r, const mh_proxy_target *t, ph_conn *c, ph_response *resp, int may_retry);
/* Streams the body to the client: 1 when the connection may be kept, 0
 * when it must be closed, or a status (502/504) when the backend failed
 * mid-way (the client's connection is then closed after what was sent). */
int ph_copy_body(mh_request *r, const mh_proxy_target *t, ph_conn *c, const ph_response *resp);

#endif
