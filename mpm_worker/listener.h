// A child's listener thread: waits for an idle worker, then for a connection
// on any listener, accepts it and queues it for the workers.
//
// Processes share the listening sockets without an accept mutex: each child
// watches them with its own epoll, registered EPOLLEXCLUSIVE, so a new
// connection wakes one waiting process rather than all of them (no thundering
// herd), and nothing is left locked when a child is killed mid-accept, as a
// cross-process mutex would be. A child with no idle worker is not waiting
// in epoll, so the kernel does not pick it.
#pragma once

#include <pthread.h>

#include <atomic>
#include <thread>
#include <vector>

#include "queue.h"

namespace worker {

class Listener {
public:
    // `main` is woken (SIGUSR1) when the listener leaves on its own:
    // MaxConnectionsPerChild reached, or accept() failing for lack of resources.
    Listener(WorkQueue &queue, std::vector<int> fds, int max_connections, pthread_t main);
    ~Listener();
    // Sets up the epoll: 0, or -1 (logged).
    int open();
    // Starts the thread: false when it could not be created (logged).
    bool start();
    // [main] Ends the thread (after the accepts it is doing) and closes the
    // epoll and this process's copies of the listening sockets.
    void stop();
    // It left because this process ran out of something.
    bool sick() const { return sick_.load(); }

private:
    void run();
    // Accepts one connection from listener i; false when the thread must leave.
    bool accept_one(int i);

    WorkQueue &queue_;
    std::vector<int> fds_;
    int max_connections_;
    pthread_t main_;
    int epoll_ = -1;
    int wake_ = -1;  // eventfd: stop() wakes epoll_wait with it
    std::thread thread_;
    int accepted_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<bool> sick_{false};
    bool closed_ = false;
};

}  // namespace worker
