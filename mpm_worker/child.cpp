// A child process: after fork it drops privileges, runs the child_init
// hooks and starts ThreadsPerChild workers and one listener. Its main thread
// serves no request: with every thread blocking the control signals, it
// takes them here with sigwait, so a signal never lands in a worker.
//   SIGUSR1  graceful: stop accepting, finish the connections, exit
//   SIGTERM  (and SIGINT) exit now: connections are cut
#include <signal.h>
#include <unistd.h>

#include <ctime>

#include "listener.h"
#include "queue.h"
#include "worker.h"
#include "workers.h"

namespace worker {
namespace {

constexpr int kWindDownMs = 100;  // while draining: look again at connections this often
constexpr int kStopGraceMs = 1000;  // SIGTERM: how long handlers get before we exit anyway

// The next control signal, or 0 after timeout_ms (< 0: no timeout).
int wait_signal(const sigset_t &set, int timeout_ms)
{
    if (timeout_ms < 0) {
        int sig = sigwaitinfo(&set, nullptr);
        return sig < 0 ? 0 : sig;
    }
    timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
    int sig = sigtimedwait(&set, nullptr, &ts);
    return sig < 0 ? 0 : sig;
}

class ChildProcess {
public:
    ChildProcess(int slot, int generation, const Settings &cfg, const std::vector<int> &fds)
        : slot_(slot), generation_(generation), threads_(cfg.threads_per_child), signals_(control_signals()),
          workers_(queue_, slot, cfg.threads_per_child, pthread_self()),
          listener_(queue_, fds, cfg.max_connections, pthread_self())
    {
    }

    // Returns the exit code. Threads may still run (stop now with a handler
    // that does not return): the caller _exits without unwinding.
    int run()
    {
        if (listener_.open() != 0) return kExitSick;
        for (int t = 0; t < threads_; ++t) svc()->slot_set_owner(svc()->slot(slot_, t), getpid(), generation_);
        if (!workers_.start() || !listener_.start()) {
            stop_now();
            return kExitSick;
        }
        for (;;) {
            int sig = wait_signal(signals_, draining_ ? kWindDownMs : -1);
            if (sig == SIGTERM || sig == SIGINT) return stop_now();
            if (sig == SIGUSR1 && !draining_) begin_graceful();
            if (!draining_) continue;
            workers_.wind_down();
            if (workers_.live() == 0) break;
        }
        workers_.join();
        svc()->run_child_exit();
        return listener_.sick() ? kExitSick : 0;
    }

private:
    void begin_graceful()
    {
        draining_ = true;
        svc()->process_set(slot_, getpid(), generation_, 1);
        listener_.stop();  // nothing new is accepted...
        queue_.close();    // ...and workers leave once what is queued is served
    }

    int stop_now()
    {
        listener_.stop();
        queue_.close();
        queue_.drop_queued();
        workers_.cut_all();
        // Workers blocked on a socket return at once; one inside a handler
        // gets a moment before we leave without it.
        int64_t deadline = monotonic_ms() + kStopGraceMs;
        for (int64_t now = monotonic_ms(); workers_.live() > 0 && now < deadline; now = monotonic_ms())
            wait_signal(signals_, int(deadline - now));
        if (workers_.live() > 0) {
            log_error(MH_LOG_DEBUG, 0, "%d worker threads still busy: exiting without the child_exit hooks",
                      workers_.live());
            workers_.abandon();
            return 0;
        }
        workers_.join();
        svc()->run_child_exit();
        return 0;
    }

    int slot_;
    int generation_;
    int threads_;
    sigset_t signals_;
    WorkQueue queue_;
    Workers workers_;
    Listener listener_;
    bool draining_ = false;
};

}  // namespace

void child_main(int slot, int generation, const Settings &cfg, const std::vector<int> &listen_fds)
{
    enter_child();
    ChildProcess child(slot, generation, cfg, listen_fds);
    // _exit: the master's objects copied by fork are not ours to destroy.
    _exit(child.run());
}

}  // namespace worker
