/*
 * FastCGI records (FastCGI 1.0, section 3.3) over a non-blocking socket;
 * no wait lasts longer than the connection's timeout.
 */
#include <errno.h>
#include <string.h>

#include "proxy_fcgi.h"
#include "../proxy/proxy_io.h"

/* Exactly n bytes: 1, 0 at the end before the first byte, -1. */
static int recv_all(pf_conn *c, unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        long k = px_io_recv(c->fd, p + got, n - got, c->timeout_ms);
        if (k > 0) {
            got += (size_t)k;
        } else if (k == 0) {
            if (got == 0) return 0;
            errno = EPROTO;
            return -1;
        } else {
            return -1;
        }
    }
    return 1;
}

int pf_send_record(pf_conn *c, int type, const void *content, size_t n)
{
    unsigned char head[8] = {1, (unsigned char)type, 0, PF_REQUEST_ID, (unsigned char)(n >> 8),
                             (unsigned char)(n & 0xff), 0, 0};
    if (px_io_send_all(c->fd, head, sizeof head, c->timeout_ms) < 0) return -1;
    return n ? px_io_send_all(c->fd, content, n, c->timeout_ms) : 0;
}

int pf_read_record(pf_conn *c, unsigned char *buf, size_t *n)
{
    unsigned char head[8], pad[256];
    int rv = recv_all(c, head, sizeof head);
    if (rv <= 0) return rv;
    if (head[0] != 1) {
        errno = EPROTO;
        return -1;
    }
    *n = (size_t)head[4] << 8 | head[5];
    if (*n && recv_all(c, buf, *n) <= 0) return -1;
    if (head[6] && recv_all(c, pad, head[6]) <= 0) return -1;
    buf[*n] = '\0';
    return head[1];
}
