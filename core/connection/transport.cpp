#include "connection/transport.h"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <cerrno>

namespace mh {

ssize_t SocketTransport::read(void *buf, size_t n)
{
    for (;;) {
        ssize_t got = recv(fd_, buf, n, 0);
        if (got >= 0 || errno != EINTR) {
            if (got < 0 && errno == EAGAIN) want_ = kReadable;
            return got;
        }
    }
}

ssize_t SocketTransport::writev(const iovec *iov, int count, bool more)
{
    msghdr msg{};
    msg.msg_iov = const_cast<iovec *>(iov);
    msg.msg_iovlen = static_cast<size_t>(count);
    for (;;) {
        ssize_t n = sendmsg(fd_, &msg, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
        if (n >= 0 || errno != EINTR) {
            if (n < 0 && errno == EAGAIN) want_ = kWritable;
            return n;
        }
    }
}

ssize_t SocketTransport::sendfile(int file, off_t *offset, size_t n)
{
    for (;;) {
        ssize_t sent = ::sendfile(fd_, file, offset, n);
        if (sent >= 0 || errno != EINTR) {
            if (sent < 0 && errno == EAGAIN) want_ = kWritable;
            return sent;
        }
    }
}

bool SocketTransport::shutdown_write() { return shutdown(fd_, SHUT_WR) == 0; }

}  // namespace mh
