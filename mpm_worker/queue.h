// The hand-off from a child's listener thread to its worker threads. The
// listener accepts only while some worker waits here with nothing to do, so a
// process whose threads are all busy leaves new clients in the kernel's
// backlog, where a process with an idle thread takes them.
#pragma once

#include <sys/socket.h>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace worker {

struct Accepted {
    int fd = -1;
    int listener = -1;
    socklen_t peer_len = 0;
    sockaddr_storage peer{};
};

class WorkQueue {
public:
    // [listener] Blocks until a worker is idle: true, or false once the
    // listener was told to stop.
    bool wait_for_idle_worker();
    // [listener] Hands a connection to the workers.
    void push(const Accepted &a);
    // [main] Wakes the listener out of wait_for_idle_worker for good.
    void stop_listener();

    // [worker] Waits for a connection: true, or false once closed and empty.
    bool pop(Accepted &out);
    // [main] No more connections come: workers finish what is queued, then leave.
    void close();
    // [main] Stop now: closes the connections nobody has started serving.
    void drop_queued();

private:
    std::mutex mutex_;
    std::condition_variable work_;  // workers wait for a connection
    std::condition_variable idle_;  // the listener waits for an idle worker
    std::deque<Accepted> items_;
    size_t waiting_ = 0;            // workers inside pop()
    bool listener_stopped_ = false;
    bool closed_ = false;
};

}  // namespace worker
