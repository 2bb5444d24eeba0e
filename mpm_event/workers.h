// The worker threads of an event child: they run the part of a request
// that may block (conn_run) for connections the loop hands them, one at a
// time each, and hand them back. The loop never waits for them: a finished
// connection is queued back and the loop is woken (uv_async_send).
#pragma once

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "modhttpd/modhttpd.h"

namespace event {

struct Conn;

class WorkerPool {
public:
    // Threads get scoreboard rows process/0..count-1; `loop_slot` is the
    // row a connection goes back to; `done` is signalled when one finishes.
    WorkerPool(int process, int count, mh_slot *loop_slot, uv_async_t *done);
    ~WorkerPool();
    // False when a thread could not be created (logged).
    bool start();
    // [loop] Hands over a connection that waits for a worker.
    void submit(Conn *k);
    // [loop] The connections whose blocking part is over.
    void take_finished(std::vector<Conn *> &out);
    int waiting() const { return waiting_.load(std::memory_order_relaxed); }  // submitted, not started
    int busy() const { return busy_.load(std::memory_order_relaxed); }        // being run
    int idle() const { return int(threads_.size()) - busy(); }
    // [loop] No more work: threads leave once idle, and are joined.
    void stop();
    // Leaving without the threads still inside a handler (a hard stop).
    void abandon();

private:
    void run(mh_slot *slot);

    mh_slot *loop_slot_;
    uv_async_t *done_;
    std::mutex mutex_;
    std::condition_variable work_;
    std::deque<Conn *> queue_;
    std::vector<Conn *> finished_;
    bool stopping_ = false;
    std::atomic<int> waiting_{0}, busy_{0};
    std::vector<mh_slot *> slots_;
    std::vector<std::thread> threads_;
};

}  // namespace event
