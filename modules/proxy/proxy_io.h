/*
 * Backend socket I/O bounded by a timeout, for the scheme modules
 * (mod_proxy_http, mod_proxy_fcgi): each compiles proxy_io.c in, with
 * hidden visibility, since a module is built against include/ only.
 * The socket is non-blocking (mod_proxy's connect makes it so); no wait
 * lasts longer than `timeout_ms`. [worker]
 */
#ifndef MOD_PROXY_IO_H
#define MOD_PROXY_IO_H

#include <stddef.h>

/* Waits for `events` (POLLIN, POLLOUT) on fd: 0, or -1 with errno
 * (ETIMEDOUT after timeout_ms). */
int px_io_wait(int fd, short events, int timeout_ms);
/* Sends all n bytes: 0, or -1 with errno (ETIMEDOUT, EPIPE...). */
int px_io_send_all(int fd, const void *data, size_t n, int timeout_ms);
/* Receives up to n bytes, waiting for the first: >0, 0 at the end of the
 * stream, -1 with errno. */
long px_io_recv(int fd, void *buf, size_t n, int timeout_ms);

#endif
