#include "connection/connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "request/pipeline.h"
#include "scoreboard.h"
#include "server.h"

namespace mh {
namespace {

constexpr size_t kQueueLimit = 65536;      // flush the queue past this
constexpr size_t kDirectWrite = 16384;     // write bodies this large without copying
constexpr uint64_t kMaxDiscard = 1 << 20;  // unread body we still read to keep a connection

void set_state(mh_slot *slot, int state)
{
    if (slot) slot->state.store(state, std::memory_order_relaxed);
}

void describe_peer(const sockaddr *sa, char *ip, size_t ip_len, int &port)
{
    if (sa == nullptr) return;
    if (sa->sa_family == AF_INET) {
        auto *in = reinterpret_cast<const sockaddr_in *>(sa);
        inet_ntop(AF_INET, &in->sin_addr, ip, ip_len);
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        auto *in6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], ip, ip_len);
        else
            inet_ntop(AF_INET6, &in6->sin6_addr, ip, ip_len);
        port = ntohs(in6->sin6_port);
    }
}

// A deadline that starts at `seconds` and grows by MinRate as bytes arrive,
// up to max_seconds, or without bound when there is no maximum
// (mod_reqtimeout's rule: "body=20,MinRate=500" lets a large upload go on
// as long as it keeps the rate).
struct Deadline {
    int64_t at_ms = 0;
    int64_t cap_ms = 0;
    int min_rate = 0;
    void start(const ReadTimeout &t, int64_t now)
    {
        at_ms = t.seconds ? now + int64_t(t.seconds) * 1000 : INT64_MAX;
        cap_ms = t.max_seconds ? now + int64_t(t.max_seconds) * 1000 : INT64_MAX;
        min_rate = t.min_rate;
    }
    void received(size_t bytes)
    {
        if (min_rate && at_ms != INT64_MAX)
            at_ms = std::min(cap_ms, at_ms + int64_t(bytes) * 1000 / min_rate);
    }
};

thread_local Deadline t_head_deadline;
thread_local Deadline t_body_deadline;

// The parser checks no body limit of its own at head time: LimitRequestBody
// is per directory, known once the request is mapped (pipeline, read_body).
http::Limits head_limits(http::Limits limits)
{
    limits.body = 0;
    return limits;
}

}  // namespace

int64_t monotonic_ms()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

Connection::Connection(const mh_conn_info &info, mh_server &server)
    : fd_(info.fd), server_(server), slot_(info.slot), stopping_(info.stopping),
      parser_(head_limits(server.core.limits))
{
    describe_peer(info.peer, client_ip_, sizeof client_ip_, client_port_);
    snprintf(client_text_, sizeof client_text_, "%s:%d", client_ip_, client_port_);
    int flags = fcntl(fd_, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK)) fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    request_.conn = this;
    request_.server = &server;
    if (slot_) {
        slot_->conn_count.store(0, std::memory_order_relaxed);
        slot_->conn_bytes.store(0, std::memory_order_relaxed);
    }
}

const char *Connection::local_ip() const
{
    local_port();
    return local_ip_;
}

int Connection::local_port() const
{
    if (local_port_ < 0) {
        local_port_ = 0;
        sockaddr_storage local{};
        socklen_t len = sizeof local;
        if (getsockname(fd_, reinterpret_cast<sockaddr *>(&local), &len) == 0)
            describe_peer(reinterpret_cast<sockaddr *>(&local), local_ip_, sizeof local_ip_, local_port_);
    }
    return local_port_;
}

Connection::~Connection()
{
    if (fd_ >= 0) close(fd_);
}

void Connection::serve()
{
    bool eof = false;
    t_head_deadline.start(server_.core.header_timeout, monotonic_ms());
    for (;;) {
        switch (parser_.next()) {
        case http::RequestParser::Event::Head:
            handle_request();
            if (!request_.keep_alive || aborted_) {
                flush();
                if (client_may_still_send()) lingering_close();
                set_state(slot_, MH_WORKER_CLOSING);
                return;
            }
            continue;
        case http::RequestParser::Event::Error:
            answer_parse_error();
            return;
        case http::RequestParser::Event::NeedMore:
            break;
        default:  // Body/End outside a request cannot happen: requests consume their body
            return;
        }
        if (eof || (!out_.empty() && !flush())) break;

        bool idle = !parser_.head_started();
        int64_t now = monotonic_ms();
        int64_t deadline;
        if (idle && requests_ > 0) {
            set_state(slot_, MH_WORKER_KEEPALIVE);
            deadline = now + server_.core.keep_alive_timeout_ms;
        } else {
            set_state(slot_, MH_WORKER_READ);
            deadline = t_head_deadline.at_ms;
        }
        deadline = std::min(deadline, now + int64_t(server_.core.timeout) * 1000);
        // Stopping ends a connection between requests only: the first one,
        // accepted already, is served (Apache; mpm.h "after the current request").
        bool may_stop = idle && requests_ > 0;
        if (may_stop && stopping()) break;
        size_t received = 0;
        Wait w = fill_input(deadline, may_stop, &received);
        if (w == Wait::Ok) {
            // A kept-alive connection's next request starts its header clock now.
            if (idle && requests_ > 0) t_head_deadline.start(server_.core.header_timeout, monotonic_ms());
            t_head_deadline.received(received);
            continue;
        }
        if (w == Wait::Closed) {
            eof = true;
            continue;  // a partial head becomes a 400 in the parser
        }
        if (w == Wait::Timeout && !idle) {
            request_.reset();
            request_.keepalive_count = requests_;
            pipeline::reject(request_, 408, "timed out reading the request head");
            lingering_close();  // a client still sending must get the 408, not a reset
        }
        break;
    }
    set_state(slot_, MH_WORKER_CLOSING);
    flush();
}

void Connection::handle_request()
{
    request_.reset();
    request_.keepalive_count = requests_;
    pipeline::process(request_);
    ++requests_;
    if (request_.keep_alive && !discard_body(request_)) request_.keep_alive = false;
    if (request_.keep_alive && !parser_.has_buffered_input()) flush();
    // Read before polling, as Apache does: under load the next request is
    // usually there already, and a recv that says EAGAIN costs less than a
    // poll per request.
    expect_data_ = true;
    t_head_deadline.start(server_.core.header_timeout, monotonic_ms());
}

void Connection::answer_parse_error()
{
    request_.reset();
    request_.keepalive_count = requests_;
    pipeline::reject(request_, parser_.error_status(), parser_.error_reason());
    flush();
    set_state(slot_, MH_WORKER_CLOSING);
    lingering_close();
}

Connection::Wait Connection::wait_fd(short events, int64_t deadline_ms, bool idle)
{
    pollfd pfd{fd_, events, 0};
    // An idle connection looks at the stopping flag twice a second, so that a
    // graceful restart does not wait for KeepAliveTimeout: under a threaded
    // MPM the signal that sets the flag reaches one thread, not this one.
    constexpr int64_t kIdleSlice = 500;
    for (;;) {
        if (idle && stopping()) return Wait::Stop;
        int64_t remaining = deadline_ms - monotonic_ms();
        if (remaining <= 0) return Wait::Timeout;
        int64_t slice = idle ? std::min(remaining, kIdleSlice) : remaining;
        int rc = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(slice, INT32_MAX)));
        if (rc > 0) return Wait::Ok;
        if (rc < 0 && errno != EINTR) return Wait::Closed;
    }
}

Connection::Wait Connection::fill_input(int64_t deadline_ms, bool idle, size_t *received)
{
    std::span<char> space = parser_.input_space(4096);
    for (;;) {
        if (!expect_data_) {
            if (Wait w = wait_fd(POLLIN, deadline_ms, idle); w != Wait::Ok) return w;
        }
        expect_data_ = false;
        ssize_t n = recv(fd_, space.data(), space.size(), 0);
        if (n > 0) {
            parser_.commit(static_cast<size_t>(n));
            *received = static_cast<size_t>(n);
            return Wait::Ok;
        }
        if (n == 0) {
            parser_.end_of_input();
            return Wait::Closed;
        }
        if (errno == EAGAIN || errno == EINTR) continue;
        aborted_ = true;
        parser_.end_of_input();
        return Wait::Closed;
    }
}

bool Connection::write_all(const iovec *iov_in, int count, int flags)
{
    if (aborted_) return false;
    iovec iov[4];
    count = std::min(count, 4);
    std::copy(iov_in, iov_in + count, iov);
    int first = 0;
    while (first < count) {
        msghdr msg{};
        msg.msg_iov = iov + first;
        msg.msg_iovlen = static_cast<size_t>(count - first);
        ssize_t n = sendmsg(fd_, &msg, MSG_NOSIGNAL | flags);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                Wait w = wait_fd(POLLOUT, monotonic_ms() + int64_t(server_.core.timeout) * 1000, false);
                if (w == Wait::Ok || w == Wait::Stop) continue;
            }
            aborted_ = true;
            return false;
        }
        if (slot_) slot_->conn_bytes.store(slot_->conn_bytes.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
        size_t left = static_cast<size_t>(n);
        while (first < count && left >= iov[first].iov_len) left -= iov[first++].iov_len;
        if (first < count) {
            iov[first].iov_base = static_cast<char *>(iov[first].iov_base) + left;
            iov[first].iov_len -= left;
        }
    }
    return true;
}

bool Connection::flush(bool more)
{
    if (out_.empty()) return !aborted_;
    iovec iov{out_.data(), out_.size()};
    bool ok = write_all(&iov, 1, more ? MSG_MORE : 0);
    out_.clear();
    return ok;
}

bool Connection::send(std::string_view bytes)
{
    if (aborted_) return false;
    if (out_.size() + bytes.size() <= kQueueLimit) {
        out_.append(bytes);
        return true;
    }
    if (bytes.size() < kDirectWrite) {
        if (!flush()) return false;
        out_.append(bytes);
        return true;
    }
    iovec iov[2] = {{out_.data(), out_.size()}, {const_cast<char *>(bytes.data()), bytes.size()}};
    bool ok = write_all(iov, 2, 0);
    out_.clear();
    return ok;
}

bool Connection::send_pair(std::string_view head, std::string_view body)
{
    if (aborted_) return false;
    if (out_.size() + head.size() + body.size() <= kQueueLimit) {
        out_.append(head);
        out_.append(body);
        return true;
    }
    iovec iov[3] = {{out_.data(), out_.size()},
                    {const_cast<char *>(head.data()), head.size()},
                    {const_cast<char *>(body.data()), body.size()}};
    bool ok = write_all(iov, 3, 0);
    out_.clear();
    return ok;
}

bool Connection::send_file(int file, int64_t offset, int64_t length)
{
    if (!flush(true)) return false;
    off_t off = offset;
    while (length > 0) {
        ssize_t n = ::sendfile(fd_, file, &off, static_cast<size_t>(std::min<int64_t>(length, 1 << 30)));
        if (n > 0) {
            length -= n;
            if (slot_) slot_->conn_bytes.store(slot_->conn_bytes.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            Wait w = wait_fd(POLLOUT, monotonic_ms() + int64_t(server_.core.timeout) * 1000, false);
            if (w == Wait::Ok || w == Wait::Stop) continue;
        }
        // n == 0: the file shrank under us; the response cannot be completed.
        aborted_ = true;
        return false;
    }
    return true;
}

long Connection::read_body(mh_request &r, char *buf, size_t n)
{
    if (r.body_failed) return -1;
    if (r.body_done || n == 0) return 0;
    const http::RequestHead &head = parser_.head();
    if (head.framing == http::BodyFraming::None) {
        r.body_done = true;
        parser_.next();  // the parser's End for this request
        return 0;
    }
    if (!r.body_started) {
        r.body_started = true;
        uint64_t limit = body_limit(r);
        parser_.set_body_limit(limit);
        if (limit != 0 && head.framing == http::BodyFraming::Length && head.content_length > limit) {
            r.status = 413;
            r.body_failed = true;
            return -1;
        }
        if (head.expect_continue && !r.headers_sent) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            if (!send(kContinue) || !flush()) return r.body_failed = true, -1;
            r.continue_sent = true;
        }
        t_body_deadline.start(server_.core.body_timeout, monotonic_ms());
    }
    set_state(slot_, MH_WORKER_READ);
    size_t copied = 0;
    while (copied < n) {
        if (!body_rest_.empty()) {
            size_t take = std::min(n - copied, body_rest_.size());
            memcpy(buf + copied, body_rest_.data(), take);
            body_rest_.remove_prefix(take);
            copied += take;
            continue;
        }
        if (copied > 0 && !parser_.has_buffered_input()) break;  // hand over what we have
        switch (parser_.next()) {
        case http::RequestParser::Event::Body:
            body_rest_ = parser_.body_chunk();
            continue;
        case http::RequestParser::Event::End:
            r.body_done = true;
            set_state(slot_, MH_WORKER_WRITE);
            return static_cast<long>(copied);
        case http::RequestParser::Event::NeedMore: {
            int64_t deadline = std::min(t_body_deadline.at_ms, monotonic_ms() + int64_t(server_.core.timeout) * 1000);
            size_t received = 0;
            Wait w = fill_input(deadline, false, &received);
            if (w == Wait::Ok) {
                t_body_deadline.received(received);
                continue;
            }
            if (w == Wait::Closed) continue;  // the parser turns a cut body into an error
            r.status = 408;
            r.body_failed = true;
            return -1;
        }
        default:
            r.status = parser_.error_status();
            r.body_failed = true;
            return -1;
        }
    }
    set_state(slot_, MH_WORKER_WRITE);
    return static_cast<long>(copied);
}

bool Connection::discard_body(mh_request &r)
{
    if (r.body_failed) return false;
    if (r.body_done) return true;
    if (parser_.head().framing == http::BodyFraming::None) {
        r.body_done = true;
        return parser_.next() == http::RequestParser::Event::End;  // the parser's End for this request
    }
    if (parser_.head().expect_continue && !r.continue_sent) return false;  // client may not send it
    char scratch[8192];
    uint64_t discarded = 0;
    for (;;) {
        long n = read_body(r, scratch, sizeof scratch);
        if (n < 0) return false;
        if (n == 0) return r.body_done;
        discarded += static_cast<uint64_t>(n);
        if (discarded > kMaxDiscard) return false;
    }
}

// Whether closing now could reset data the client is still sending, which
// would destroy our response in its receive buffer (RFC 9112 9.6). A client
// that asked for the close and whose request arrived whole sends nothing
// more, so the lingering close is spared (as nginx does): three system calls
// and a worker held until the client closes.
bool Connection::client_may_still_send() const
{
    return parser_.has_buffered_input() || parser_.body_incomplete() || parser_.head().keep_alive;
}

void Connection::lingering_close()
{
    // Apache's lingering close: stop sending, then read what the client
    // still sends for a moment, so that our response is not lost to a reset.
    flush();
    if (shutdown(fd_, SHUT_WR) != 0) return;
    char sink[4096];
    int64_t until = monotonic_ms() + 2000;
    pollfd pfd{fd_, POLLIN, 0};
    while (monotonic_ms() < until) {
        if (poll(&pfd, 1, 500) <= 0) return;
        ssize_t n = recv(fd_, sink, sizeof sink, 0);
        if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN))) return;
    }
}

}  // namespace mh
