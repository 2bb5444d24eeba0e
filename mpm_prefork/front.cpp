// The front process (PreforkFront On): while no child is idle it takes the
// new connections and waits for their request heads on an event loop, then
// hands each to the next free child through the queue. A client that sends
// its head slowly holds a socket here, not a child; one process per
// connection is kept for everything that runs module code.
//
// It never reads a byte away: it looks at what arrived with MSG_PEEK, and
// SO_RCVLOWAT makes the socket readable again only when more has come. The
// child then reads the head itself, with the head's timeouts counted from
// when the front accepted it. A head that is complete, cannot be valid (the
// core's own check), is too long to wait for, or is late goes to a child,
// which answers it as it would have (the request, 400, 414, 408).
//
// Signals: SIGUSR1 (a restart or a graceful stop): accept no more, hand over
// what is held, leave. SIGTERM: leave now.
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "accept_error.h"
#include "prefork.h"

namespace prefork {
namespace {

constexpr size_t kPeekMax = 65536;       // a head this long goes to a child unseen
constexpr uint64_t kCheckMs = 50;        // how often the pool is looked at
constexpr int64_t kCalmMs = 1000;        // idle children and nothing held this long: children accept again
constexpr int64_t kLeaveMs = 10000;      // ... and this long: the front leaves until the pool is busy again
constexpr int64_t kAcceptPauseMs = 250;  // after accept ran out of descriptors
constexpr int kAcceptBurst = 64;

class Front;

// A connection whose head is awaited.
struct Held {
    Front *owner;
    int fd;
    Handoff h;
    size_t seen = 0;        // bytes that had arrived at the last look
    int64_t last_ms = 0;    // when the last of them came
    uv_poll_t poll{};
    uv_timer_t timer{};
    int handles_open = 0;
    Held *prev = nullptr, *next = nullptr;
};

// A connection on its way to a child, while the queue is full.
struct Waiting {
    int fd;
    Handoff h;
};

class Front {
public:
    int run();

    void on_tick();
    void on_listen();
    void on_signal();
    void on_queue_writable();
    void look(Held *k, bool woken);
    void hand_over(Held *k);
    void handle_closed(Held *k);

private:
    bool open();
    void set_active(bool active);
    void accept_some();
    void send_or_wait(int fd, const Handoff &h);
    bool send(int fd, const Handoff &h);
    void leave_gracefully();
    void finish_if_done();
    int idle_children() const;

    uv_loop_t loop_{};
    uv_timer_t tick_{};
    uv_poll_t listen_poll_{}, signal_poll_{}, queue_poll_{};
    int listen_epfd_ = -1, signal_fd_ = -1;
    bool listening_ = false, queue_watched_ = false, leaving_ = false, closing_ = false;
    bool active_ = false;
    int64_t pressure_ms_ = 0;   // the last time no child was idle
    int64_t resume_at_ = 0;     // accepting paused (out of descriptors) until then
    Held *held_ = nullptr;
    int held_count_ = 0;
    std::vector<Waiting> waiting_;
};

Front *owner(uv_handle_t *h) { return static_cast<Front *>(h->data); }

int Front::idle_children() const
{
    int idle = 0;
    for (int slot = 0; slot < master().cfg.max_workers; ++slot)
        if (svc()->slot_state(svc()->slot(slot, 0)) == MH_WORKER_READY) ++idle;
    return idle;
}

bool Front::open()
{
    if (uv_loop_init(&loop_) != 0) return false;
    listen_epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (listen_epfd_ < 0) return false;
    for (int i = 0; i < svc()->listener_count(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLEXCLUSIVE;  // one waiter woken per connection, children included
        ev.data.u32 = uint32_t(i);
        if (epoll_ctl(listen_epfd_, EPOLL_CTL_ADD, svc()->listener_fd(i), &ev) != 0) return false;
    }
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGUSR1, SIGTERM, SIGHUP, SIGINT}) sigaddset(&set, sig);
    signal_fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd_ < 0) return false;

    uv_poll_init(&loop_, &listen_poll_, listen_epfd_);
    uv_poll_init(&loop_, &signal_poll_, signal_fd_);
    uv_poll_init(&loop_, &queue_poll_, master().queue[0]);
    uv_timer_init(&loop_, &tick_);
    for (uv_handle_t *h : {reinterpret_cast<uv_handle_t *>(&listen_poll_), reinterpret_cast<uv_handle_t *>(&signal_poll_),
                           reinterpret_cast<uv_handle_t *>(&queue_poll_), reinterpret_cast<uv_handle_t *>(&tick_)})
        h->data = this;
    uv_poll_start(&signal_poll_, UV_READABLE, [](uv_poll_t *h, int, int) {
        owner(reinterpret_cast<uv_handle_t *>(h))->on_signal();
    });
    uv_timer_start(&tick_, [](uv_timer_t *h) { owner(reinterpret_cast<uv_handle_t *>(h))->on_tick(); }, 0, kCheckMs);
    return true;
}

int Front::run()
{
    if (!open()) {
        log_error(MH_LOG_ERR, errno, "PreforkFront: the front cannot set up its loop; children accept alone");
        return kExitSick;
    }
    uv_run(&loop_, UV_RUN_DEFAULT);
    return 0;
}

// Takes the new connections while no child is idle, and until the pool has
// been calm for a while: under a slow-client attack it keeps them all.
void Front::on_tick()
{
    if (leaving_) return;
    int64_t now = svc()->now_ms();
    if (pressure_ms_ == 0 || idle_children() == 0) pressure_ms_ = now;
    bool active = now - pressure_ms_ < kCalmMs || held_count_ > 0;
    if (!active && now - pressure_ms_ >= kLeaveMs) return leave_gracefully();
    if (active != active_) set_active(active);
    if (active_ && !listening_ && now >= resume_at_) {
        uv_poll_start(&listen_poll_, UV_READABLE, [](uv_poll_t *h, int, int) {
            owner(reinterpret_cast<uv_handle_t *>(h))->on_listen();
        });
        listening_ = true;
    }
}

void Front::set_active(bool active)
{
    active_ = active;
    master().shared->active.store(active ? 1 : 0, std::memory_order_relaxed);
    if (!active && listening_) {
        uv_poll_stop(&listen_poll_);
        listening_ = false;
    }
    log_error(MH_LOG_DEBUG, 0, "PreforkFront: %s", active ? "no idle child: the front takes new connections"
                                                          : "children idle again: they accept for themselves");
}

void Front::on_listen() { accept_some(); }

void Front::accept_some()
{
    epoll_event events[16];
    int n = epoll_wait(listen_epfd_, events, 16, 0);
    for (int i = 0; i < n && listening_; ++i) {
        int listener = int(events[i].data.u32);
        for (int a = 0; a < kAcceptBurst; ++a) {
            Held *k = new Held{this, -1, {}};
            k->h.listener = listener;
            k->h.peer_len = sizeof k->h.peer;
            k->fd = accept4(svc()->listener_fd(listener), reinterpret_cast<sockaddr *>(&k->h.peer), &k->h.peer_len,
                            SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (k->fd < 0) {
                int err = errno;
                delete k;
                if (passing_accept_error(err)) break;
                log_error(MH_LOG_ERR, err, "PreforkFront: accept failed: not accepting for %lld ms (holding %d)",
                          (long long)kAcceptPauseMs, held_count_);
                uv_poll_stop(&listen_poll_);
                listening_ = false;
                resume_at_ = svc()->now_ms() + kAcceptPauseMs;
                return;
            }
            k->h.head_started_ms = k->last_ms = svc()->now_ms();
            uv_poll_init(&loop_, &k->poll, k->fd);
            uv_timer_init(&loop_, &k->timer);
            k->poll.data = k->timer.data = k;
            k->handles_open = 2;
            k->next = held_;
            if (held_) held_->prev = k;
            held_ = k;
            ++held_count_;
            master().shared->held.fetch_add(1, std::memory_order_relaxed);
            look(k, false);  // a normal client's head is usually there already
        }
    }
}

// What has arrived: hand it over, or wait for more (or the deadline).
void Front::look(Held *k, bool woken)
{
    static char buf[kPeekMax];
    ssize_t n = recv(k->fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
    const mh_server *s = master().server;
    int64_t now = svc()->now_ms();
    if (n < 0 && errno != EAGAIN && errno != EINTR) n = 0;  // a reset: as closed
    if (n == 0) {
        // Closed. With nothing sent there is nothing to answer; after part
        // of a head a child answers what there is (400, as it would).
        if (k->seen == 0) {
            close(k->fd);
            k->fd = -1;
        }
        return hand_over(k);
    }
    if (n > 0) {
        // Readable with nothing new past the low-water mark: the client
        // shut its side down after part of a head.
        if (woken && size_t(n) == k->seen) return hand_over(k);
        if (size_t(n) > k->seen) {
            k->seen = size_t(n);
            k->last_ms = now;
        }
        if (svc()->head_scan(s, buf, size_t(n)) != 0 || size_t(n) >= sizeof buf) return hand_over(k);
    }
    int64_t deadline = svc()->head_deadline(s, k->h.head_started_ms, k->last_ms, k->seen);
    if (now >= deadline) return hand_over(k);  // the child answers 408
    int lowat = int(k->seen) + 1;
    setsockopt(k->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);
    uv_poll_start(&k->poll, UV_READABLE | UV_DISCONNECT, [](uv_poll_t *h, int, int) {
        Held *k = static_cast<Held *>(h->data);
        k->owner->look(k, true);
    });
    uv_timer_start(&k->timer, [](uv_timer_t *h) {
        Held *k = static_cast<Held *>(h->data);
        k->owner->look(k, false);
    }, uint64_t(deadline - now), 0);
}

void Front::hand_over(Held *k)
{
    if (k->prev) k->prev->next = k->next;
    else held_ = k->next;
    if (k->next) k->next->prev = k->prev;
    --held_count_;
    master().shared->held.fetch_sub(1, std::memory_order_relaxed);
    auto closed = [](uv_handle_t *h) {
        Held *k = static_cast<Held *>(h->data);
        k->owner->handle_closed(k);
    };
    uv_close(reinterpret_cast<uv_handle_t *>(&k->poll), closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&k->timer), closed);
    if (k->fd >= 0) {
        int one = 1;
        setsockopt(k->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
        send_or_wait(k->fd, k->h);
        k->fd = -1;
    }
}

void Front::handle_closed(Held *k)
{
    if (--k->handles_open == 0) delete k;
    finish_if_done();
}

// Through the queue with SCM_RIGHTS: the child gets the descriptor and what
// the front knows of the connection.
bool Front::send(int fd, const Handoff &h)
{
    iovec iov{const_cast<Handoff *>(&h), sizeof h};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    FrontShared &shared = *master().shared;
    shared.queued.fetch_add(1, std::memory_order_relaxed);  // before: a child may take it at once
    if (sendmsg(master().queue[0], &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == ssize_t(sizeof h)) {
        close(fd);
        return true;
    }
    int err = errno;
    shared.queued.fetch_sub(1, std::memory_order_relaxed);
    if (err == EAGAIN || err == ENOBUFS) return false;
    log_error(MH_LOG_ERR, err, "PreforkFront: cannot hand a connection to the children; it is closed");
    close(fd);
    return true;
}

void Front::send_or_wait(int fd, const Handoff &h)
{
    if (waiting_.empty() && send(fd, h)) return;
    // The queue is full (children are all busy and thousands of heads
    // wait): in order, when there is room.
    waiting_.push_back({fd, h});
    if (!queue_watched_) {
        uv_poll_start(&queue_poll_, UV_WRITABLE, [](uv_poll_t *p, int, int) {
            owner(reinterpret_cast<uv_handle_t *>(p))->on_queue_writable();
        });
        queue_watched_ = true;
    }
}

void Front::on_queue_writable()
{
    size_t sent = 0;
    while (sent < waiting_.size() && send(waiting_[sent].fd, waiting_[sent].h)) ++sent;
    waiting_.erase(waiting_.begin(), waiting_.begin() + long(sent));
    if (waiting_.empty()) {
        uv_poll_stop(&queue_poll_);
        queue_watched_ = false;
    }
    finish_if_done();
}

void Front::on_signal()
{
    signalfd_siginfo info;
    while (read(signal_fd_, &info, sizeof info) == ssize_t(sizeof info)) {
        if (info.ssi_signo == SIGUSR1) leave_gracefully();
        else if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP) _exit(0);  // held connections are cut
    }
}

void Front::leave_gracefully()
{
    if (leaving_) return;
    leaving_ = true;
    set_active(false);
    for (int i = 0; i < svc()->listener_count(); ++i) close(svc()->listener_fd(i));  // our copies
    while (held_) hand_over(held_);
    finish_if_done();
}

void Front::finish_if_done()
{
    if (!leaving_ || closing_ || held_ || !waiting_.empty()) return;
    closing_ = true;
    for (uv_handle_t *h : {reinterpret_cast<uv_handle_t *>(&listen_poll_), reinterpret_cast<uv_handle_t *>(&signal_poll_),
                           reinterpret_cast<uv_handle_t *>(&queue_poll_), reinterpret_cast<uv_handle_t *>(&tick_)})
        uv_close(h, nullptr);
}

}  // namespace

void front_main(pid_t master_pid)
{
    const mh_mpm_services *s = svc();
    s->child_after_fork();
    // Taken through the loop's signalfd: blocked before anything else.
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGUSR1, SIGTERM, SIGHUP, SIGINT}) sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
    if (s->drop_privileges() != 0) _exit(kExitFatal);
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // after the privileges: changing them clears it
    if (getppid() != master_pid) _exit(0);
    prctl(PR_SET_NAME, "mh-front");
    close(master().queue[1]);  // the children's end
    Front front;
    _exit(front.run());  // not exit(): the master's objects are not ours to destroy
}

}  // namespace prefork
