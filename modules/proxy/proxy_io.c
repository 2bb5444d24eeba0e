/*
 * Backend socket I/O bounded by a timeout (see proxy_io.h).
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "proxy_io.h"

int px_io_wait(int fd, short events, int timeout_ms)
{
    struct pollfd pfd = {fd, events, 0};
    int n;
    do n = poll(&pfd, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    if (n == 0) errno = ETIMEDOUT;
    return n > 0 ? 0 : -1;
}

int px_io_send_all(int fd, const void *data, size_t n, int timeout_ms)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (px_io_wait(fd, POLLOUT, timeout_ms) < 0) return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

long px_io_recv(int fd, void *buf, size_t n, int timeout_ms)
{
    for (;;) {
        ssize_t k = recv(fd, buf, n, 0);
        if (k >= 0) return (long)k;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (px_io_wait(fd, POLLIN, timeout_ms) < 0) return -1;
    }
}
