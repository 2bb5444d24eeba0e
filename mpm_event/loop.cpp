#include "loop.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace event {
namespace {

constexpr uint64_t kTickMs = 200;        // counts to the scoreboard, accept pauses
constexpr int64_t kAcceptPauseMs = 250;  // after accept ran out of descriptors
constexpr int kAcceptBurst = 64;         // accepts per wake-up, then the other connections' turn
constexpr uint64_t kStopGraceMs = 1000;  // a stop: how long handlers get to return

EventLoop *owner(uv_handle_t *h) { return static_cast<EventLoop *>(h->data); }

void on_poll(uv_poll_t *h, int, int)
{
    Conn *k = static_cast<Conn *>(h->data);
    k->owner->drive(k);
}

void on_timer(uv_timer_t *h)
{
    Conn *k = static_cast<Conn *>(h->data);
    k->armed = -1;
    // The deadline moved later since the timer was set (set_timer leaves
    // the timer alone then), or went away: not yet the connection's turn.
    if (k->deadline < 0) return;
    if (k->deadline > svc()->now_ms()) {
        k->owner->arm(k);
        return;
    }
    k->deadline = -1;  // it came
    k->owner->drive(k);
}

void on_conn_handle_closed(uv_handle_t *h)
{
    Conn *k = static_cast<Conn *>(h->data);
    k->owner->handle_closed(k);
}

}  // namespace

EventLoop::EventLoop(int slot, int generation, const Settings &cfg, const std::vector<int> &listen_fds)
    : slot_(slot), generation_(generation), cfg_(cfg), listen_fds_(listen_fds),
      workers_(slot, cfg.threads_per_child, svc()->slot(slot, cfg.threads_per_child), &wake_)
{
    // Here, before the loop's thread exists: a stop may be asked for (and
    // wake_ sent) from the moment the child's main thread takes signals.
    uv_loop_init(&loop_);
    loop_.data = this;
    uv_async_init(&loop_, &wake_, [](uv_async_t *h) { owner(reinterpret_cast<uv_handle_t *>(h))->on_wake(); });
    wake_.data = this;
    wake_open_ = true;
}

int EventLoop::run()
{
    uv_timer_init(&loop_, &tick_);
    tick_.data = this;
    uv_timer_start(&tick_, [](uv_timer_t *h) { owner(reinterpret_cast<uv_handle_t *>(h))->on_tick(); }, kTickMs,
                   kTickMs);
    // The loop's own row is ready again after each turn: it shows busy only
    // while it is serving something.
    loop_slot_ = svc()->slot(slot_, cfg_.threads_per_child);
    uv_check_init(&loop_, &idle_);
    idle_.data = this;
    uv_check_start(&idle_, [](uv_check_t *h) {
        svc()->slot_set_state(static_cast<EventLoop *>(h->data)->loop_slot_, MH_WORKER_READY);
    });
    svc()->slot_set_state(loop_slot_, MH_WORKER_READY);

    if (!workers_.start()) {
        exit_code_ = kExitSick;
        stop_now();
    } else if (!open_listeners()) {
        exit_code_ = kExitSick;
        begin_graceful();
    }
    if (int r = requested_.load(); r != 0) on_wake();  // a stop asked for before the loop ran
    uv_run(&loop_, UV_RUN_DEFAULT);
    if (!abandoned_.load()) uv_loop_close(&loop_);
    return exit_code_;
}

void EventLoop::request_graceful()
{
    int expected = 0;
    requested_.compare_exchange_strong(expected, 1);
    wake();
}

void EventLoop::request_stop()
{
    requested_.store(2);
    wake();
}

// Once the loop has closed wake_ (it is finishing), a late signal has
// nothing left to wake: libuv aborts on a send to a closed loop.
void EventLoop::wake()
{
    std::lock_guard lock(wake_mutex_);
    if (wake_open_) uv_async_send(&wake_);
}

// ---- accepting -------------------------------------------------------------------------

// The listeners are shared by every child: each child watches them through
// an epoll set of its own with EPOLLEXCLUSIVE, so that a new connection
// wakes one child, not all; libuv watches that one descriptor.
bool EventLoop::open_listeners()
{
    listen_epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (listen_epfd_ < 0) {
        log_error(MH_LOG_CRIT, errno, "cannot create the listeners' epoll");
        return false;
    }
    for (size_t i = 0; i < listen_fds_.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLEXCLUSIVE;
        ev.data.u32 = uint32_t(i);
        if (epoll_ctl(listen_epfd_, EPOLL_CTL_ADD, listen_fds_[i], &ev) == 0) continue;
        ev.events = EPOLLIN;  // a kernel before 4.5: correct, with a thundering herd
        if (epoll_ctl(listen_epfd_, EPOLL_CTL_ADD, listen_fds_[i], &ev) != 0) {
            log_error(MH_LOG_CRIT, errno, "cannot watch listening socket %d", listen_fds_[i]);
            return false;
        }
    }
    uv_poll_init(&loop_, &listen_poll_, listen_epfd_);
    listen_poll_.data = this;
    pause_accepting(false);
    return true;
}

void EventLoop::pause_accepting(bool pause)
{
    if (listeners_closed_ || listen_epfd_ < 0) return;
    if (pause && listening_) {
        uv_poll_stop(&listen_poll_);
        listening_ = false;
    } else if (!pause && !listening_) {
        uv_poll_start(&listen_poll_, UV_READABLE,
                      [](uv_poll_t *h, int, int) { owner(reinterpret_cast<uv_handle_t *>(h))->on_listen(); });
        listening_ = true;
    }
    paused_ = pause;
}

// Too many of our connections wait for a busy worker: other children take
// the new ones (AsyncRequestWorkerFactor; connections that idle or read do
// not count, unlike Apache's, which also caps those).
bool EventLoop::workers_swamped() const
{
    return workers_.waiting() > int(cfg_.async_factor * cfg_.threads_per_child);
}

void EventLoop::on_listen()
{
    epoll_event events[16];
    int n = epoll_wait(listen_epfd_, events, 16, 0);
    for (int i = 0; i < n && !draining_; ++i) {
        int listener = int(events[i].data.u32);
        for (int a = 0; a < kAcceptBurst && !draining_ && !paused_; ++a) {
            sockaddr_storage peer;
            socklen_t len = sizeof peer;
            int fd = accept4(listen_fds_[size_t(listener)], reinterpret_cast<sockaddr *>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (passing_accept_error(errno)) break;
                // EMFILE, ENFILE, ENOBUFS: no room for another connection
                // now; the others keep being served, the backlog waits.
                if (!emfile_reported_)
                    log_error(MH_LOG_ERR, errno, "accept failed: not accepting for %lld ms (this process serves %d "
                              "connections)", (long long)kAcceptPauseMs, open_conns_);
                emfile_reported_ = true;
                resume_at_ = svc()->now_ms() + kAcceptPauseMs;
                pause_accepting(true);
                break;
            }
            emfile_reported_ = false;
            open_conn(fd, peer, len, listener);
            if (cfg_.max_connections > 0 && ++accepted_ >= cfg_.max_connections) {
                begin_graceful();  // recycled: the master starts another
                break;
            }
            if (workers_swamped()) pause_accepting(true);
        }
    }
}

// ---- connections ---------------------------------------------------------------------

void EventLoop::open_conn(int fd, const sockaddr_storage &peer, socklen_t peer_len, int listener)
{
    mh_conn_info info{};
    info.struct_size = sizeof info;
    info.fd = fd;
    info.peer = reinterpret_cast<const sockaddr *>(&peer);
    info.peer_len = peer_len;
    info.listener = listener;
    info.slot = loop_slot_;
    info.stopping = &stopping_;
    mh_conn *c = svc()->conn_open(&info);
    if (c == nullptr) {
        close(fd);
        return;
    }
    Conn *k = new Conn;
    k->owner = this;
    k->conn = c;
    if (uv_poll_init(&loop_, &k->poll, fd) != 0) {
        svc()->conn_close(c);
        delete k;
        return;
    }
    uv_timer_init(&loop_, &k->timer);
    k->poll.data = k->timer.data = k;
    k->handles_open = 2;
    k->next = conns_;
    if (conns_) conns_->prev = k;
    conns_ = k;
    ++open_conns_;
    drive(k);
}

void EventLoop::drive(Conn *k)
{
    if (k->at_worker || k->conn == nullptr) return;
    int64_t deadline = -1;
    int want = svc()->conn_step(k->conn, &deadline);
    set_phase(k, svc()->conn_phase(k->conn));
    switch (want) {
    case MH_CONN_READ:
        watch(k, UV_READABLE);
        set_timer(k, deadline);
        return;
    case MH_CONN_WRITE:
        watch(k, UV_WRITABLE);
        set_timer(k, deadline);
        return;
    case MH_CONN_WORKER:
        watch(k, 0);
        set_timer(k, -1);
        k->at_worker = true;
        workers_.submit(k);
        if (workers_swamped()) pause_accepting(true);
        return;
    default:
        close_conn(k);
    }
}

// Only a change of what is watched touches epoll: keep-alive requests
// served at once leave the watch as it was.
void EventLoop::watch(Conn *k, int events)
{
    if (events == k->events) return;
    k->events = events;
    if (events == 0) uv_poll_stop(&k->poll);
    else uv_poll_start(&k->poll, events, on_poll);
}

// Each request moves a keep-alive connection's deadline later: the timer
// is moved only when the deadline comes earlier than it is set for; one that
// fires early is set again for the deadline then (on_timer). Moving a timer
// in libuv's heap on every request was a few percent of a request with
// 1,000 connections.
void EventLoop::set_timer(Conn *k, int64_t deadline)
{
    k->deadline = deadline;
    if (deadline < 0 || (k->armed >= 0 && k->armed <= deadline)) return;
    arm(k);
}

void EventLoop::arm(Conn *k)
{
    k->armed = k->deadline;
    int64_t wait = k->deadline - svc()->now_ms();
    uv_timer_start(&k->timer, on_timer, uint64_t(std::max<int64_t>(wait, 0)), 0);
}

void EventLoop::set_phase(Conn *k, int phase)
{
    if (phase == k->phase) return;
    if (k->phase >= 0 && k->phase < 5) --counts_[k->phase];
    if (phase >= 0 && phase < 5) ++counts_[phase];
    k->phase = phase;
}

void EventLoop::close_conn(Conn *k)
{
    set_phase(k, -1);
    if (k->prev) k->prev->next = k->next;
    else conns_ = k->next;
    if (k->next) k->next->prev = k->prev;
    k->prev = k->next = nullptr;
    --open_conns_;
    // The watcher goes first (uv_close takes it out of epoll now), then the
    // socket; the memory once libuv is done with both handles.
    uv_close(reinterpret_cast<uv_handle_t *>(&k->poll), on_conn_handle_closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&k->timer), on_conn_handle_closed);
    svc()->conn_close(k->conn);
    k->conn = nullptr;
    finish_if_done();
}

void EventLoop::handle_closed(Conn *k)
{
    if (--k->handles_open == 0) delete k;
}

// ---- wake-ups, ticks, stopping ----------------------------------------------------------

void EventLoop::on_wake()
{
    int asked = requested_.exchange(0);
    if (asked == 2) stop_now();
    else if (asked == 1) begin_graceful();
    workers_.take_finished(finished_);
    for (Conn *k : finished_) {
        k->at_worker = false;
        if (k->conn == nullptr) continue;
        if (stopped_now_) close_conn(k);
        else drive(k);
    }
    finished_.clear();
    if (paused_ && !workers_swamped() && svc()->now_ms() >= resume_at_) pause_accepting(false);
    finish_if_done();
}

void EventLoop::on_tick()
{
    publish_counts();
    if (paused_ && !draining_ && !workers_swamped() && svc()->now_ms() >= resume_at_) pause_accepting(false);
}

void EventLoop::publish_counts()
{
    svc()->process_set_conns(slot_, open_conns_, counts_[MH_CONN_WRITING], counts_[MH_CONN_KEEPALIVE],
                             counts_[MH_CONN_CLOSING]);
}

void EventLoop::close_listeners()
{
    if (listeners_closed_) return;
    listeners_closed_ = true;
    if (listen_epfd_ >= 0) {
        uv_close(reinterpret_cast<uv_handle_t *>(&listen_poll_), nullptr);
        close(listen_epfd_);
        listen_epfd_ = -1;
    }
    listening_ = false;
    // Our copies: a port the master closes is freed once we are gone.
    for (int fd : listen_fds_) close(fd);
    listen_fds_.clear();
}

// Graceful: nothing new is accepted, each connection ends after the request
// it is on (the core reads the stopping flag between requests), and idle
// ones end now.
void EventLoop::begin_graceful()
{
    if (draining_) return;
    draining_ = true;
    __atomic_store_n(&stopping_, 1, __ATOMIC_RELAXED);  // worker threads read it
    svc()->process_set(slot_, getpid(), generation_, 1);
    close_listeners();
    for (Conn *k = conns_; k != nullptr;) {
        Conn *next = k->next;  // drive may close k
        if (!k->at_worker && k->phase == MH_CONN_KEEPALIVE) drive(k);
        k = next;
    }
    finish_if_done();
}

// Now: every connection is cut; handlers still running get kStopGraceMs.
void EventLoop::stop_now()
{
    stopped_now_ = true;
    draining_ = true;
    __atomic_store_n(&stopping_, 1, __ATOMIC_RELAXED);  // worker threads read it
    close_listeners();
    for (Conn *k = conns_; k != nullptr;) {
        Conn *next = k->next;
        if (k->at_worker) shutdown(svc()->conn_fd(k->conn), SHUT_RDWR);  // its handler's I/O fails at once
        else close_conn(k);
        k = next;
    }
    if (open_conns_ > 0) {
        uv_timer_start(&tick_, [](uv_timer_t *h) {
            EventLoop *self = owner(reinterpret_cast<uv_handle_t *>(h));
            self->abandoned_.store(true);
            self->workers_.abandon();
            uv_stop(&self->loop_);
        }, kStopGraceMs, 0);
    }
    finish_if_done();
}

void EventLoop::finish_if_done()
{
    if (!draining_ || open_conns_ > 0 || finishing_) return;
    finishing_ = true;
    publish_counts();
    workers_.stop();  // idle: nothing is left for them
    uv_close(reinterpret_cast<uv_handle_t *>(&tick_), nullptr);
    {
        std::lock_guard lock(wake_mutex_);
        wake_open_ = false;
    }
    uv_close(reinterpret_cast<uv_handle_t *>(&wake_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t *>(&idle_), nullptr);
}

}  // namespace event
