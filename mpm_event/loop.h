// The event loop of an event child (one libuv loop, on its own thread). It
// owns the listening sockets' accept and every connection: it watches each
// socket for what the core's connection waits for (uv_poll), keeps its
// deadline (uv_timer), and hands it to a worker thread when a request has a
// hook that may block. Nothing here blocks.
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "event.h"
#include "workers.h"

namespace event {

class EventLoop;

// One connection, as the loop sees it.
struct Conn {
    EventLoop *owner = nullptr;
    mh_conn *conn = nullptr;
    uv_poll_t poll{};
    uv_timer_t timer{};
    int events = 0;          // what poll watches now (UV_READABLE / UV_WRITABLE)
    int phase = -1;          // the core's mh_conn_phase last seen, for the counts
    int64_t deadline = -1;   // the connection's next deadline (-1: none)
    int64_t armed = -1;      // when the timer is set to fire (-1: not set); <= deadline
    bool at_worker = false;
    int handles_open = 0;    // poll and timer: freed once both are closed
    Conn *prev = nullptr, *next = nullptr;  // every connection, in a list
};

class EventLoop {
public:
    EventLoop(int slot, int generation, const Settings &cfg, const std::vector<int> &listen_fds);
    // [loop thread] Serves until stopped; returns the child's exit code.
    int run();
    // [any thread] Ask for a graceful stop (finish what runs, close idle
    // connections) or a stop now.
    void request_graceful();
    void request_stop();
    // [main] True once a stop left workers inside handlers: the child leaves
    // without waiting for them.
    bool abandoned() const { return abandoned_.load(); }

    // ---- for the handle callbacks ----
    void on_listen();
    void on_wake();
    void on_tick();
    void drive(Conn *k);
    void arm(Conn *k);  // sets the timer for k->deadline
    void handle_closed(Conn *k);

private:
    bool open_listeners();
    void accept_some();
    void open_conn(int fd, const sockaddr_storage &peer, socklen_t peer_len, int listener);
    void watch(Conn *k, int events);
    void set_timer(Conn *k, int64_t deadline);
    void close_conn(Conn *k);
    void set_phase(Conn *k, int phase);
    void publish_counts();
    void pause_accepting(bool pause);
    bool workers_swamped() const;
    void close_listeners();
    void begin_graceful();
    void stop_now();
    void finish_if_done();
    void wake();

    int slot_;
    int generation_;
    Settings cfg_;
    std::vector<int> listen_fds_;
    uv_loop_t loop_{};
    uv_poll_t listen_poll_{};   // the listeners' own epoll (EPOLLEXCLUSIVE), as one fd
    int listen_epfd_ = -1;
    uv_async_t wake_{};         // workers' finished connections, stop requests
    std::mutex wake_mutex_;     // guards wake_open_ against the loop's close of wake_
    bool wake_open_ = false;
    uv_timer_t tick_{};         // counts to the scoreboard, accept pauses
    uv_check_t idle_{};         // after each loop turn: the loop's row shows it is ready
    mh_slot *loop_slot_ = nullptr;
    WorkerPool workers_;
    Conn *conns_ = nullptr;     // list head
    int open_conns_ = 0;
    int counts_[5] = {};        // by mh_conn_phase
    long accepted_ = 0;
    bool listening_ = false;    // listen_poll_ started
    bool listeners_closed_ = false;
    bool paused_ = false;       // accepting paused (EMFILE, or too many waiting for workers)
    int64_t resume_at_ = 0;     // after EMFILE: when to try accepting again
    bool emfile_reported_ = false;
    bool draining_ = false;     // graceful stop in progress
    bool stopped_now_ = false;  // a hard stop: connections back from workers are closed
    bool finishing_ = false;
    int exit_code_ = 0;
    volatile int stopping_ = 0;  // mh_conn_info.stopping: end connections after this request
    std::atomic<int> requested_{0};  // 1 graceful, 2 stop now
    std::atomic<bool> abandoned_{false};
    std::vector<Conn *> finished_;  // scratch for take_finished
};

}  // namespace event
