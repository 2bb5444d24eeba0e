/*
 * mod_proxy_fcgi internals, shared by its files (hidden visibility: the
 * one exported symbol is proxy_fcgi_module).
 *
 *   mod_proxy_fcgi.c   descriptor; the "fcgi" scheme provider: one request
 *                      per connection (FCGI_KEEP_CONN unset, Apache's
 *                      default)
 *   fcgi_io.c          FastCGI records over the socket, bounded by the
 *                      timeout
 *   fcgi_params.c      the CGI meta-variables (FCGI_PARAMS), the core's
 *   fcgi_response.c    FCGI_STDOUT read as a CGI response: its headers
 *                      (read by the core), then the body streamed
 *
 * Every function runs [worker].
 */
#ifndef MOD_PROXY_FCGI_H
#define MOD_PROXY_FCGI_H

#include <stddef.h>
#include <stdint.h>

#include <modhttpd/modhttpd.h>
#include <modhttpd/proxy.h>

MH_EXPORT extern const mh_module proxy_fcgi_module;
extern const mh_api *pf_api; /* kept by register_hooks */

/* Record types (FastCGI 1.0, section 8). */
enum {
    PF_BEGIN_REQUEST = 1,
    PF_ABORT_REQUEST = 2,
    PF_END_REQUEST = 3,
    PF_PARAMS = 4,
    PF_STDIN = 5,
    PF_STDOUT = 6,
    PF_STDERR = 7,
};
#define PF_RESPONDER 1
#define PF_REQUEST_ID 1
#define PF_MAX_CONTENT 65535

typedef struct pf_conn {
    int fd;
    int timeout_ms;
} pf_conn;

/* ---- fcgi_io.c ---------------------------------------------------------- */
/* One record (content up to PF_MAX_CONTENT): 0, or -1 (errno set). */
int pf_send_record(pf_conn *c, int type, const void *content, size_t n);
/* The next record: its type, its content in buf (PF_MAX_CONTENT + 1
 * bytes) and *n; 0 at a clean end of the stream, -1 on an error or a
 * timeout (errno ETIMEDOUT). */
int pf_read_record(pf_conn *c, unsigned char *buf, size_t *n);

/* ---- fcgi_params.c ------------------------------------------------------ */
/* Sends the FCGI_PARAMS stream (ended by an empty record); `length` is
 * the body's, -1 for none. 0 or -1. */
int pf_send_params(mh_request *r, const mh_proxy_target *t, pf_conn *c, int64_t length);

/* ---- fcgi_response.c ---------------------------------------------------- */
/* Reads the response records up to FCGI_END_REQUEST: MH_OK, or 502/504
 * (logged); after the headers went out a failure closes the client's
 * connection. */
int pf_relay_response(mh_request *r, const mh_proxy_target *t, pf_conn *c);

#endif
