#include "master/master.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <uv.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "listeners.h"
#include "log/piped_log.h"
#include "logging.h"
#include "master/mpm_runs.h"
#include "master/pid_file.h"
#include "master/runtime.h"
#include "master/single_process.h"
#include "master/startup.h"
#include "master/systemd_notify.h"
#include "scoreboard.h"
#include "server.h"
#include "server_identity.h"

namespace mh::master {
namespace {

struct State {
    Options opts;
    std::unique_ptr<mh_server> current;
    MpmRuns runs;                // earlier configurations, and MPMs finishing after a change
    std::array<uv_signal_t, 4> signals{};
    uv_async_t graceful_stop{};  // SIGWINCH sent by someone (see on_winch)
    uv_timer_t shutdown_timer{};
    uv_timer_t release_timer{};  // frees what a finished MPM left, after its call returned
    uv_signal_t logger_exit{};   // SIGCHLD: piped loggers to reap and start again
    uv_timer_t logger_retry{};   // a logger that died at once starts again a second later
    bool stopping = false;
    bool closed = false;
};
State *g = nullptr;

const mh_mpm &mpm_of(const mh_server &s) { return *s.mpm->desc->mpm; }
const char *mpm_name(const mh_server &s) { return mpm_of(s).name; }

void close_handles()
{
    if (g->closed) return;
    g->closed = true;
    for (uv_signal_t &s : g->signals) uv_close(reinterpret_cast<uv_handle_t *>(&s), nullptr);
    signal(SIGWINCH, SIG_IGN);
    uv_close(reinterpret_cast<uv_handle_t *>(&g->graceful_stop), nullptr);
    uv_close(reinterpret_cast<uv_handle_t *>(&g->shutdown_timer), nullptr);
    uv_close(reinterpret_cast<uv_handle_t *>(&g->release_timer), nullptr);
    uv_close(reinterpret_cast<uv_handle_t *>(&g->logger_exit), nullptr);
    uv_close(reinterpret_cast<uv_handle_t *>(&g->logger_retry), nullptr);
}

void stop(bool graceful)
{
    if (g->stopping && graceful) return;
    if (!g->stopping) systemd_notify::stopping(graceful);
    g->stopping = true;
    mh_server &s = *g->current;
    int how = graceful ? MH_STOP_GRACEFUL : MH_STOP_NOW;
    // An MPM still finishing after an MPM change stops too (a stop now
    // cuts what it is finishing).
    for (auto [mpm, old] : g->runs.finishing(s)) mpm->stop(old, how);
    mpm_of(s).stop(&s, how);
    // As Apache's parent: no new connection waits in a backlog that nobody
    // will accept from (a load balancer sees a refusal and goes elsewhere,
    // and another server may bind the port); the children close their copies.
    listeners().close_all();
    int timeout = s.core.graceful_shutdown_timeout;
    if (graceful && timeout > 0 && !g->closed)
        uv_timer_start(&g->shutdown_timer, [](uv_timer_t *) {
            log::server_error("core", MH_LOG_NOTICE, 0, "GracefulShutdownTimeout reached: stopping the remaining children");
            stop(false);
        }, uint64_t(timeout) * 1000, 0);
}

void reload(bool graceful)
{
    ConfigureOptions co = g->opts.config;
    co.restarting = true;
    runtime::set_warnings_to_console(false);
    std::unique_ptr<mh_server> next;
    try {
        next = configure(co, g->current->generation + 1);
    } catch (const config::Error &e) {
        log::server_error("core", MH_LOG_ERR, 0,
                          "AH00526: %s -- the configuration was not reloaded; the server goes on with the previous one",
                          e.full_message().c_str());
        return;
    }
    std::string err;
    // A piped logger whose command is unchanged goes on (same pipe, same
    // process); one no longer configured is ended once the new logs are open.
    log::piped::begin();
    if (!startup::bind_listeners(*next, err) || !startup::open_access_logs(*next, err) ||
        !startup::run_post_config(*next, err) || !startup::open_error_log(*next, err)) {
        log::piped::rollback();
        log::server_error_lines("core", MH_LOG_ERR, err);
        log::server_error("core", MH_LOG_ERR, 0, "the server goes on with the previous configuration");
        return;
    }
    log::piped::commit();
    log::piped::start_all();
    // The counters start over before the new generation shows: a reader
    // that sees it sees the new RestartTime.
    if (!graceful) scoreboard::reset();
    int generation = runtime::generation() + 1;
    runtime::set_generation(generation);
    if (scoreboard::Global *sb = scoreboard::global()) {
        sb->mpm_generation = generation;
        sb->config_generation.fetch_add(1);
    }
    bool changed = next->mpm->loaded != g->current->mpm->loaded;
    int kind = graceful ? MH_RESTART_GRACEFUL : MH_RESTART_HARD;
    // An MPM new to this master starts as at a first start; one that is
    // still finishing from an earlier change restarts (its children of
    // before are ended as `kind` says).
    int start_kind = changed && !g->runs.running(next->mpm->loaded) ? MH_START_FIRST : kind;
    runtime::set_current(next.get());
    std::unique_ptr<mh_server> old = std::move(g->current);
    g->current = std::move(next);
    mh_server &s = *g->current;
    if (mpm_of(s).start(&s, start_kind) != 0) {
        if (changed) {
            // The old MPM was not told anything: it goes on serving.
            log::server_error("core", MH_LOG_ERR, 0, "%s could not start; the server goes on with %s and the "
                              "previous configuration", mpm_name(s), mpm_name(*old));
            runtime::set_current(old.get());
            g->current = std::move(old);
            return;
        }
        log::server_error("core", MH_LOG_EMERG, 0, "AH02818: MPM run failed, exiting");
        g->runs.retire(std::move(old), s);
        stop(false);
        return;
    }
    if (changed) {
        log::server_error("core", MH_LOG_NOTICE, 0, "MPM changed from %s to %s on %s restart: %s",
                          mpm_name(*old), mpm_name(s), graceful ? "graceful" : "hard",
                          graceful ? "the old children finish their requests, then exit"
                                   : "the old children are ended now");
        const mh_mpm &old_mpm = mpm_of(*old);
        mh_server *kept = g->runs.retire(std::move(old), s);
        old_mpm.stop(kept, graceful ? MH_STOP_GRACEFUL : MH_STOP_NOW);
    } else {
        g->runs.retire(std::move(old), s);
    }
    log::server_error("core", MH_LOG_NOTICE, 0, "AH00163: %s configured -- resuming normal operations", server_version());
}

// systemd hears of the reload around it; READY=1 follows also when the
// previous configuration goes on (systemd would otherwise wait for it),
// but not when the reload ended in a stop.
void restart(bool graceful)
{
    if (g->stopping) return;
    systemd_notify::reloading(graceful);
    int before = runtime::generation();
    reload(graceful);
    if (!g->stopping)
        systemd_notify::ready(runtime::generation(), mpm_name(*g->current),
                              runtime::generation() == before ? "Not reloaded, see the error log; serving" : "Reloaded");
}

// An MPM reported its last child gone. After an MPM change, the old one is
// unloaded on the next loop turn (its own code is still on the stack).
void on_mpm_stopped(const mh_module *mpm)
{
    bool none_left = g->runs.stopped(mpm);
    if (g->stopping) {
        if (none_left) close_handles();
        return;
    }
    uv_timer_start(&g->release_timer, [](uv_timer_t *) {
        for (const std::string &symbol : g->runs.release_stopped(*g->current))
            log::server_error("core", MH_LOG_NOTICE, 0,
                              "%s: the last child of the previous MPM has exited; the module is unloaded",
                              symbol.c_str());
    }, 0, 0);
}

void on_signal(uv_signal_t *, int signum)
{
    switch (signum) {
    case SIGTERM:
    case SIGINT:
        log::server_error("core", MH_LOG_NOTICE, 0, "AH00169: caught SIG%s, shutting down", signum == SIGTERM ? "TERM" : "INT");
        stop(false);
        break;
    case SIGHUP:
        log::server_error("core", MH_LOG_NOTICE, 0, "AH00173: SIGHUP received.  Attempting to restart");
        restart(false);
        break;
    case SIGUSR1:
        log::server_error("core", MH_LOG_NOTICE, 0, "AH00171: Graceful restart requested, doing restart");
        restart(true);
        break;
    }
}

// SIGWINCH means graceful-stop (Apache's -k graceful-stop), but the kernel
// also sends it to a terminal's foreground processes when the terminal is
// resized: a server in the foreground of a terminal (docker run -it, with
// STOPSIGNAL SIGWINCH as Apache's images set) then stopped on a window
// resize. Only a WINCH that a process sent (kill, -k graceful-stop) stops
// this server; the kernel's resize notice is ignored.
void on_winch(int, siginfo_t *info, void *)
{
    if (info->si_code == SI_USER || info->si_code == SI_QUEUE) uv_async_send(&g->graceful_stop);
}

void on_graceful_stop(uv_async_t *)
{
    log::server_error("core", MH_LOG_NOTICE, 0, "AH00170: caught SIGWINCH, shutting down gracefully");
    stop(true);
}

// Whether a few descriptors are free: libuv aborts the process when it
// cannot create its global signal pipe, so that case is checked first.
bool room_for_loop()
{
    int fds[6];
    int n = 0;
    while (n < 6 && (fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) ++n;
    for (int i = 0; i < n; ++i) close(fds[i]);
    return n == 6;
}

// The master cannot set up its loop: said in the error log and on stderr.
// (The process exits at once: the handles made so far need no closing.)
int cannot_run(const char *what, int os_errno)
{
    log::server_error("core", MH_LOG_EMERG, os_errno, "%s -- is the open files limit (ulimit -n) too low? exiting", what);
    fprintf(stderr, "modhttpd: %s: %s -- is the open files limit (ulimit -n) too low?\n", what, strerror(os_errno));
    g = nullptr;
    return 1;
}

}  // namespace

int run(std::unique_ptr<mh_server> first, const Options &opts)
{
    State state;
    g = &state;
    state.opts = opts;
    state.current = std::move(first);
    mh_server &s = *state.current;
    runtime::set_current(&s);
    runtime::set_generation(0);
    state.runs.begin(s);
    runtime::set_on_mpm_stopped(on_mpm_stopped);
    signal(SIGPIPE, SIG_IGN);

    // The loop, its signal pipe and the async need descriptors: an open
    // files limit (ulimit -n) too low for them is said and refused, rather
    // than crashing in libuv.
    if (!room_for_loop()) return cannot_run("too few free file descriptors for the master's event loop", EMFILE);
    uv_loop_t *loop = runtime::loop();
    if (loop == nullptr) return cannot_run("could not create the master's event loop", errno);
    const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};
    for (size_t i = 0; i < state.signals.size(); ++i) {
        int rc = uv_signal_init(loop, &state.signals[i]);
        if (rc == 0) rc = uv_signal_start(&state.signals[i], on_signal, sigs[i]);
        if (rc != 0) return cannot_run("could not watch the master's signals", -rc);
    }
    if (int rc = uv_async_init(loop, &state.graceful_stop, on_graceful_stop); rc != 0)
        return cannot_run("could not watch the master's signals", -rc);
    struct sigaction winch {};
    winch.sa_sigaction = on_winch;
    winch.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGWINCH, &winch, nullptr);
    uv_timer_init(loop, &state.shutdown_timer);
    uv_timer_init(loop, &state.release_timer);
    // Piped loggers start here, in the process that reaps them; the MPMs
    // reap their children by pid, so this watcher and theirs coexist.
    log::piped::start_all();
    uv_signal_init(loop, &state.logger_exit);
    uv_timer_init(loop, &state.logger_retry);
    uv_signal_start(&state.logger_exit, [](uv_signal_t *, int) {
        if (log::piped::reap(g->stopping) && !uv_is_active(reinterpret_cast<uv_handle_t *>(&g->logger_retry)))
            uv_timer_start(&g->logger_retry, [](uv_timer_t *) { if (!g->stopping) log::piped::start_all(); }, 1000, 0);
    }, SIGCHLD);

    std::string pid_path = s.core.pid_file;
    pid_file::write(pid_path);
    if (mpm_of(s).start(&s, MH_START_FIRST) != 0) {
        log::server_error("core", MH_LOG_EMERG, 0, "AH02818: MPM run failed, exiting");
        close_handles();
        uv_run(loop, UV_RUN_DEFAULT);
        pid_file::remove(pid_path);
        return 1;
    }
    if (scoreboard::Global *sb = scoreboard::global()) sb->config_generation = 1;
    log::server_error("core", MH_LOG_NOTICE, 0, "AH00163: %s configured -- resuming normal operations", server_version());
    log::server_error("core", MH_LOG_NOTICE, 0, "AH00094: Command line: '%s'", opts.command_line.c_str());
    systemd_notify::ready(runtime::generation(), mpm_name(s), "Serving");

    uv_run(loop, UV_RUN_DEFAULT);
    pid_file::remove(g->current->core.pid_file);
    g = nullptr;
    return 0;
}

int run_single_process(std::unique_ptr<mh_server> first)
{
    mh_server &s = *first;
    runtime::set_current(&s);
    signal(SIGPIPE, SIG_IGN);
    // -X is still the server to -k and to scripts: it has its PidFile.
    pid_file::write(s.core.pid_file);
    log::piped::start_all();  // not watched: no master loop to start them again
    int rc = mpm_of(s).run_single_process == nullptr ? serve_in_this_process(s)
                                                      : (mpm_of(s).run_single_process(&s) == 0 ? 0 : 1);
    pid_file::remove(s.core.pid_file);
    return rc;
}

}  // namespace mh::master
