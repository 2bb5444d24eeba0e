#include "queue.h"

#include <unistd.h>

namespace worker {

bool WorkQueue::wait_for_idle_worker()
{
    std::unique_lock lock(mutex_);
    // A worker is idle when more of them wait than connections are queued.
    idle_.wait(lock, [&] { return listener_stopped_ || waiting_ > items_.size(); });
    return !listener_stopped_;
}

void WorkQueue::push(const Accepted &a)
{
    {
        std::lock_guard lock(mutex_);
        items_.push_back(a);
    }
    work_.notify_one();
}

void WorkQueue::stop_listener()
{
    {
        std::lock_guard lock(mutex_);
        listener_stopped_ = true;
    }
    idle_.notify_all();
}

bool WorkQueue::pop(Accepted &out)
{
    std::unique_lock lock(mutex_);
    ++waiting_;
    if (waiting_ > items_.size()) idle_.notify_one();
    work_.wait(lock, [&] { return closed_ || !items_.empty(); });
    --waiting_;
    if (items_.empty()) return false;
    out = items_.front();
    items_.pop_front();
    return true;
}

void WorkQueue::close()
{
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    work_.notify_all();
}

void WorkQueue::drop_queued()
{
    std::deque<Accepted> dropped;
    {
        std::lock_guard lock(mutex_);
        dropped.swap(items_);
    }
    for (const Accepted &a : dropped) ::close(a.fd);
}

}  // namespace worker
