// An event child's main thread: after fork it drops privileges, runs the
// child_init hooks and starts the event loop thread (which starts the
// workers). It serves nothing itself: with every thread blocking the control
// signals, it takes them here with sigwait and tells the loop.
//   SIGUSR1  graceful: stop accepting, finish the connections, exit
//   SIGTERM  (and SIGINT) exit now: connections are cut
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <thread>

#include "event.h"
#include "loop.h"

namespace event {
namespace {

constexpr int kStopGraceMs = 1500;  // SIGTERM: the loop's own grace, and a little more

}  // namespace

void child_main(int slot, int generation, const Settings &cfg, const std::vector<int> &listen_fds)
{
    enter_child();
    sigset_t control = control_signals();
    for (int t = 0; t <= cfg.threads_per_child; ++t) svc()->slot_set_owner(svc()->slot(slot, t), getpid(), generation);

    EventLoop loop(slot, generation, cfg, listen_fds);
    std::atomic<bool> done{false};
    int code = 0;
    pthread_t main = pthread_self();
    std::thread thread([&] {
        pthread_setname_np(pthread_self(), "mh-event");
        code = loop.run();
        done.store(true);
        pthread_kill(main, SIGUSR1);  // wakes sigwait below
    });
    bool stopping = false;
    int64_t give_up = 0;
    while (!done.load()) {
        timespec wait{0, 100 * 1000000};
        int sig = sigtimedwait(&control, nullptr, &wait);
        if (done.load()) break;
        if (sig == SIGTERM || sig == SIGINT) {
            loop.request_stop();
            if (!stopping) give_up = monotonic_ms() + kStopGraceMs;
            stopping = true;
        } else if (sig == SIGUSR1) {
            loop.request_graceful();
        }
        if (stopping && monotonic_ms() > give_up) {
            // Handlers that do not return: leave without them (nor child_exit).
            log_error(MH_LOG_DEBUG, 0, "worker threads still busy: exiting without the child_exit hooks");
            _exit(0);
        }
    }
    thread.join();
    if (!loop.abandoned()) svc()->run_child_exit();
    // _exit: the master's objects copied by fork are not ours to destroy.
    _exit(code);
}

}  // namespace event
