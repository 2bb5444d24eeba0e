// A child's life: take over from the master's process image, then serve one
// connection at a time until told to leave, recycled by
// MaxConnectionsPerChild, or outlived by a newer generation.
//
// Signals: SIGUSR1 = graceful (finish the connection, then exit), SIGTERM or
// SIGHUP = exit now. Between connections they stay blocked, except inside
// epoll_pwait, so a signal can never slip in between the flag check and the
// wait. While a connection is served they are open: the core watches the
// flag between requests and while idle in keep-alive, and the signal cuts
// its poll short.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "prefork.h"

namespace prefork {
namespace {

volatile int g_stopping = 0;           // mh_conn_info.stopping
volatile sig_atomic_t g_serving = 0;   // inside serve_connection
volatile sig_atomic_t g_terminated = 0;  // SIGTERM or SIGHUP: leave now

// This process's copies of the listening sockets. A graceful stop closes
// them at once, as Apache's children do, even while a connection is being
// served: once the master and every child have let go, a new connection is
// refused instead of waiting in a backlog nobody accepts from. Filled before
// the handlers are installed, never resized after.
std::vector<int> g_listen_fds;
volatile sig_atomic_t g_listeners_closed = 0;

void on_graceful(int)
{
    g_stopping = 1;
    if (g_listeners_closed) return;  // a second signal: the numbers may be reused by now
    g_listeners_closed = 1;
    for (int fd : g_listen_fds) close(fd);  // async-signal-safe; this child accepts no more
}

void on_terminate(int)
{
    if (g_serving) _exit(0);  // a hard stop drops the connection; _exit is signal-safe
    g_terminated = 1;
    g_stopping = 1;
}

// SA_RESTART for SIGUSR1: poll, epoll_wait and nanosleep return EINTR
// whatever the flag (signal(7)), which is all the core and this loop need,
// while a module's blocking read() is not broken by a graceful restart.
void install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa {};
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    sigaction(sig, &sa, nullptr);
}

// The scoreboard's generation is the authority, as in Apache: checked
// between connections in case a restart's signal ever goes astray.
bool outlived(int generation)
{
    mh_status_global g{};
    g.struct_size = sizeof g;
    return api->status_global(&g) == 0 && g.mpm_generation != generation;
}

}  // namespace

void child_main(int slot_index, int generation, const Settings &cfg, pid_t master_pid)
{
    const mh_mpm_services *s = svc();
    // A stop signal that comes before the handlers below meets the default
    // action and ends the child: it has not run child_init, nothing is lost.
    s->child_after_fork();
    for (int i = 0; i < s->listener_count(); ++i) g_listen_fds.push_back(s->listener_fd(i));
    install(SIGUSR1, on_graceful, SA_RESTART);
    install(SIGTERM, on_terminate, 0);
    install(SIGHUP, on_terminate, 0);
    signal(SIGINT, SIG_IGN);  // Ctrl-C in the foreground: the master decides

    sigset_t stop_signals, open_mask;
    sigemptyset(&stop_signals);
    for (int sig : {SIGUSR1, SIGTERM, SIGHUP}) sigaddset(&stop_signals, sig);
    sigprocmask(SIG_BLOCK, &stop_signals, &open_mask);

    if (s->drop_privileges() != 0) _exit(kExitFatal);  // logged by the core
    // A master killed outright (kill -9, the OOM killer) must not leave us
    // serving as orphans that keep its port: its death sends us SIGTERM,
    // taken like the master's own. Set after the privileges are dropped:
    // changing credentials clears it.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != master_pid) _exit(0);
    s->run_child_init();

    mh_slot *slot = s->slot(slot_index, 0);
    s->slot_set_owner(slot, getpid(), generation);
    ListenWait listeners;
    int exit_code = 0;
    if (listeners.open() != 0) {
        log_error(MH_LOG_ERR, errno, "could not watch the listening sockets");
        exit_code = kExitSick;
        g_stopping = 1;
    }

    auto serve = [&](const ListenWait::Accepted &a) {
        s->slot_set_state(slot, MH_WORKER_READ);
        mh_conn_info conn{};
        conn.struct_size = sizeof conn;
        conn.fd = a.fd;
        conn.peer = reinterpret_cast<const sockaddr *>(&a.peer);
        conn.peer_len = a.peer_len;
        conn.listener = a.listener;
        conn.slot = slot;
        conn.stopping = &g_stopping;
        conn.head_started_ms = a.head_started_ms;
        g_serving = 1;
        sigprocmask(SIG_SETMASK, &open_mask, nullptr);
        s->serve_connection(&conn);  // closes fd
        sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
        g_serving = 0;
    };

    long served = 0;
    while (!g_stopping) {
        if (cfg.max_connections > 0 && served >= cfg.max_connections) break;
        if (outlived(generation)) break;
        s->slot_set_state(slot, MH_WORKER_READY);

        ListenWait::Accepted accepted;
        ListenWait::Got got = listeners.next(open_mask, accepted);
        if (got == ListenWait::Got::Nothing) continue;
        if (got == ListenWait::Got::Broken) {
            exit_code = kExitSick;
            break;
        }
        serve(accepted);
        ++served;
    }
    // Connections the front handed over wait for a child: a child that
    // leaves gracefully serves those first (a stop now leaves them).
    ListenWait::Accepted queued;
    while (g_stopping && !g_terminated && exit_code == 0 && listeners.take_queued(queued)) serve(queued);
    if (g_stopping) s->slot_set_state(slot, MH_WORKER_GRACEFUL);
    s->run_child_exit();
    _exit(exit_code);  // not exit(): the master's atexit handlers are not ours to run
}

}  // namespace prefork
