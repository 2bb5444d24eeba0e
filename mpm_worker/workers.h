// A child's worker threads. Each takes one connection at a time from the
// queue and hands it to the core (serve_connection), which keeps it for its
// keep-alive requests. The main thread can end those connections early: a
// worker's poll() only sees signals sent to its own thread, so for a graceful
// stop the main thread sets the connection's stopping flag (the core ends
// the connection after the request in progress) and shuts down the reading
// side of connections idle between requests, which ends their wait at once.
#pragma once

#include <pthread.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "modhttpd/modhttpd.h"
#include "queue.h"

namespace worker {

class Workers {
public:
    // `main` is woken (SIGUSR1) when the last worker leaves.
    Workers(WorkQueue &queue, int process, int count, pthread_t main);
    // Starts the threads: false when one could not be created (logged).
    bool start();
    int live() const { return live_.load(); }
    // [main] Graceful: a connection ends after the request it is serving;
    // one waiting for its next request ends now. Called again until all left.
    void wind_down();
    // [main] Stop now: every connection is shut down.
    void cut_all();
    // [main] Joins the threads (after they left).
    void join();
    // [main] Leaving without the threads still busy: joins those that
    // ended and lets the others go with the process.
    void abandon();

private:
    struct Worker {
        std::thread thread;
        mh_slot *slot = nullptr;
        std::mutex mutex;            // guards conn against the main thread
        int conn = -1;               // a dup() of the connection served: it cannot be reused under us
        int stopping = 0;            // the core's flag for this connection (atomic access)
        std::atomic<bool> done{false};  // the thread has left its loop
    };
    void run(Worker &w);
    void serve(Worker &w, const Accepted &a);

    WorkQueue &queue_;
    pthread_t main_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::atomic<int> live_{0};
};

}  // namespace worker
