// The bytes-in/bytes-out seam between a connection and its socket. The
// connection never calls recv/send itself: a plain TCP socket and, later, a
// TLS session are both a Transport, and every MPM drives either the same way.
// Every call is non-blocking: -1 with errno EAGAIN means "not now", and
// wants() then says which readiness of the socket would let it go on (a TLS
// write may need the socket readable, say).
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

namespace mh {

class Transport {
public:
    enum Readiness { kReadable = 1, kWritable = 2 };

    virtual ~Transport() = default;
    // >0 bytes, 0 at the peer's end, -1 with errno.
    virtual ssize_t read(void *buf, size_t n) = 0;
    // `more`: further data follows at once (MSG_MORE), so the kernel may
    // hold a small tail back for it.
    virtual ssize_t writev(const iovec *iov, int count, bool more) = 0;
    // Sends a file range, advancing *offset. -1 with errno ENOSYS when the
    // transport cannot (the caller then reads the file into memory).
    virtual ssize_t sendfile(int file, off_t *offset, size_t n) = 0;
    // After EAGAIN: what to wait for before calling again.
    virtual int wants() const = 0;
    // Sends no more (the FIN of a lingering close). False if it failed.
    virtual bool shutdown_write() = 0;
    // True when bytes were received and buffered inside the transport (TLS
    // records decrypted ahead): the socket may not become readable for them.
    virtual bool has_pending_input() const { return false; }
    // A variable of the connection ("HTTPS", "SSL_PROTOCOL"...), or nullptr.
    virtual const char *var(const char *) const { return nullptr; }
};

// A plain TCP socket. The fd stays the connection's to close.
class SocketTransport final : public Transport {
public:
    explicit SocketTransport(int fd) : fd_(fd) {}
    ssize_t read(void *buf, size_t n) override;
    ssize_t writev(const iovec *iov, int count, bool more) override;
    ssize_t sendfile(int file, off_t *offset, size_t n) override;
    int wants() const override { return want_; }
    bool shutdown_write() override;

private:
    int fd_;
    int want_ = kReadable;
};

}  // namespace mh
