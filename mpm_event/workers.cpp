#include "workers.h"

#include <pthread.h>

#include <system_error>

#include "event.h"
#include "loop.h"

namespace event {

WorkerPool::WorkerPool(int process, int count, mh_slot *loop_slot, uv_async_t *done)
    : loop_slot_(loop_slot), done_(done)
{
    for (int t = 0; t < count; ++t) slots_.push_back(svc()->slot(process, t));
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::start()
{
    for (mh_slot *slot : slots_) {
        try {
            threads_.emplace_back([this, slot] { run(slot); });
        } catch (const std::system_error &e) {
            log_error(MH_LOG_ALERT, e.code().value(), "AH00480: unable to create worker thread");
            return false;
        }
    }
    return true;
}

void WorkerPool::submit(Conn *k)
{
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(k);
    }
    waiting_.fetch_add(1, std::memory_order_relaxed);
    work_.notify_one();
}

void WorkerPool::take_finished(std::vector<Conn *> &out)
{
    std::lock_guard lock(mutex_);
    out.swap(finished_);
}

void WorkerPool::run(mh_slot *slot)
{
    pthread_setname_np(pthread_self(), "mh-worker");
    for (;;) {
        svc()->slot_set_state(slot, MH_WORKER_READY);
        Conn *k;
        {
            std::unique_lock lock(mutex_);
            work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) break;  // stopping, and nothing left
            k = queue_.front();
            queue_.pop_front();
        }
        waiting_.fetch_sub(1, std::memory_order_relaxed);
        busy_.fetch_add(1, std::memory_order_relaxed);
        // The requests it serves here count in this thread's row.
        svc()->conn_set_slot(k->conn, slot);
        svc()->conn_run(k->conn);
        svc()->conn_set_slot(k->conn, loop_slot_);
        busy_.fetch_sub(1, std::memory_order_relaxed);
        {
            std::lock_guard lock(mutex_);
            finished_.push_back(k);
        }
        uv_async_send(done_);
    }
    svc()->slot_set_state(slot, MH_WORKER_GRACEFUL);
}

void WorkerPool::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_.notify_all();
    for (std::thread &t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void WorkerPool::abandon()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    work_.notify_all();
    for (std::thread &t : threads_)
        if (t.joinable()) t.detach();
    threads_.clear();
}

}  // namespace event
