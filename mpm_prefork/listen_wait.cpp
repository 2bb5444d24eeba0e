// Waiting for a connection without a thundering herd: each child has its own
// epoll set holding every listener with EPOLLEXCLUSIVE, so the kernel wakes
// one waiting child per new connection. Busy children stay registered: the
// kernel skips an epoll set nobody waits on. Listeners are non-blocking, so
// a child that loses a race gets EAGAIN and just waits again.
//
// Measured (2 CPUs, wrk -t2 -c16 -d5s, Connection: close, 404-fast handler):
//                     8 idle children          64 idle children
//   plain epoll       8.4-8.9k req/s, 3.7-4.6  4.1-4.5k req/s, 49-54
//   accept mutex      5.6-6.8k req/s, 1.8-1.9  5.7-9.0k req/s, 1.8-2.2
//   EPOLLEXCLUSIVE    9.9-10.9k req/s, 1.8-1.9 12.0-12.3k req/s, 2.2
// (second figure: context switches of all children per request). The mutex
// stops the herd too but serialises accept behind one child, and a child
// waiting on it cannot be woken by a graceful restart without Apache's pipe
// of death; SO_REUSEPORT would need listeners bound per child, and the core
// binds them.
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "accept_error.h"
#include "prefork.h"

namespace prefork {
namespace {

constexpr uint32_t kQueue = UINT32_MAX;        // epoll data of the front's queue
constexpr int kActiveRecheckMs = 200;          // a child on the queue alone looks at the front this often

bool add(int epfd, int fd, uint32_t data)
{
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u32 = data;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0;
}

}  // namespace

int ListenWait::open()
{
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) return -1;
    int n = svc()->listener_count();
    for (int i = 0; i < n; ++i)
        if (!add(epfd_, svc()->listener_fd(i), uint32_t(i))) return -1;
    const Master &m = master();
    if (m.shared != nullptr) {
        queue_epfd_ = epoll_create1(EPOLL_CLOEXEC);
        if (queue_epfd_ < 0 || !add(epfd_, m.queue[1], kQueue) || !add(queue_epfd_, m.queue[1], kQueue)) return -1;
    }
    return 0;
}

// A connection from the front's queue, if one is there.
bool ListenWait::receive(Accepted &out)
{
    const Master &m = master();
    Handoff h{};
    iovec iov{&h, sizeof h};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(m.queue[1], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n <= 0) return false;  // EAGAIN: another child was quicker
    cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c == nullptr || c->cmsg_type != SCM_RIGHTS || size_t(n) != sizeof h) return false;
    m.shared->queued.fetch_sub(1, std::memory_order_relaxed);
    memcpy(&out.fd, CMSG_DATA(c), sizeof(int));
    out.listener = h.listener;
    out.peer = h.peer;
    out.peer_len = h.peer_len;
    out.head_started_ms = h.head_started_ms;
    return true;
}

bool ListenWait::take_queued(Accepted &out)
{
    const Master &m = master();
    return m.shared != nullptr && m.shared->queued.load(std::memory_order_relaxed) > 0 && receive(out);
}

ListenWait::Got ListenWait::next(const sigset_t &wait_mask, Accepted &out)
{
    // While the front is active the listeners are its own: a child would
    // only take the next slow client from it.
    const Master &m = master();
    bool front_only = m.shared != nullptr && m.shared->active.load(std::memory_order_relaxed);
    // One event at a time: level-triggered epoll then rotates among ready
    // listeners, and each wake-up serves one connection.
    epoll_event ev{};
    int n = epoll_pwait(front_only ? queue_epfd_ : epfd_, &ev, 1, front_only ? kActiveRecheckMs : -1, &wait_mask);
    if (n < 0) {
        if (errno == EINTR) return Got::Nothing;
        log_error(MH_LOG_ERR, errno, "epoll_wait on the listening sockets failed");
        return Got::Broken;
    }
    if (n == 0) return Got::Nothing;
    out.head_started_ms = 0;
    if (ev.data.u32 == kQueue) return receive(out) ? Got::Connection : Got::Nothing;
    if (take_queued(out)) return Got::Connection;  // what waits in the queue has waited longest
    out.listener = int(ev.data.u32);
    out.peer_len = sizeof out.peer;
    out.fd = accept4(svc()->listener_fd(out.listener), reinterpret_cast<sockaddr *>(&out.peer), &out.peer_len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (out.fd >= 0) return Got::Connection;
    if (passing_accept_error(errno)) return Got::Nothing;  // another child was quicker, or that connection's error
    // EMFILE, ENFILE, ENOBUFS, ENOMEM or worse: this child is sick.
    log_error(MH_LOG_ERR, errno, "accept: (client socket) on %s", svc()->listener_name(out.listener));
    return Got::Broken;
}

}  // namespace prefork
