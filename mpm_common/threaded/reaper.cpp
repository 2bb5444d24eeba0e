// SIGCHLD: reap our children (by pid, so that no other part of the server
// loses its own), free their slots and say why they died. One crashing
// thread takes its whole process down; the other processes keep serving and
// the crashed one is replaced at once, as Apache does, unless crashes follow
// each other without a quiet second (then maintenance takes over).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "threaded/threaded.h"

namespace threaded {
namespace {

// Whether a death by this signal is no crash: our own signals, and those an
// admin or a terminal ends processes with (as Apache). Unlike Apache we do
// report a SIGKILL we did not send: it is how the OOM killer ends a child.
bool expected_signal(const ChildRecord &c, int sig)
{
    if (c.killed || c.terminated_ms != 0) return true;
    if (sig == SIGUSR1 && c.leaving) return true;  // asked before it could block the signal
    return sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

void free_slot(int slot)
{
    Master &m = master();
    for (int t = 0; t < m.thread_limit; ++t) svc()->slot_set_state(svc()->slot(slot, t), MH_WORKER_DEAD);
    svc()->process_set(slot, 0, 0, 0);
    m.slots[size_t(slot)] = ChildRecord{};
}

// Returns true when the child crashed (a signal we did not send).
bool report_exit(const ChildRecord &c, int status)
{
    Master &m = master();
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (expected_signal(c, sig)) return false;
        if (WCOREDUMP(status))
            log_error(MH_LOG_NOTICE, 0, "AH00051: child pid %ld exit signal %s (%d), possible coredump in %s",
                      long(c.pid), strsignal(sig), sig, api->server_root(m.server));
        else
            log_error(MH_LOG_NOTICE, 0, "AH00052: child pid %ld exit signal %s (%d)", long(c.pid), strsignal(sig), sig);
        return true;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    if (code == kExitFatal) {
        if (c.generation == m.generation && m.stopping == Stopping::No) {
            log_error(MH_LOG_ALERT, 0, "AH00050: Child %ld returned a Fatal error... modhttpd is exiting!", long(c.pid));
            kill(getpid(), SIGTERM);  // the core stops the server on its loop
        } else {
            log_error(MH_LOG_WARNING, 0, "AH00290: Ignoring fatal error in child of previous generation (pid %ld).",
                      long(c.pid));
        }
    } else if (code == kExitSick) {
        m.spawn_rate = 1;  // resource shortage: fork slowly
    }
    return false;
}

void child_exited(int slot, int status)
{
    Master &m = master();
    ChildRecord c = m.slots[size_t(slot)];
    free_slot(slot);
    m.death_since_tick = true;
    bool crashed = report_exit(c, status);
    if (m.stopping != Stopping::No) return;
    if (crashed && c.generation == m.generation) {
        if (++m.successive_kills >= 3) {
            if (m.successive_kills % 10 == 3) log_error(MH_LOG_WARNING, 0, "AH10393: children are killed successively!");
        } else {
            ++m.remaining_to_start;
        }
    }
    bool sick = WIFEXITED(status) && WEXITSTATUS(status) == kExitSick;
    if (m.remaining_to_start > 0 && !sick && slot < m.cfg.max_processes() && make_child(slot) == 0)
        --m.remaining_to_start;
}

}  // namespace

void reap_children()
{
    Master &m = master();
    for (size_t i = 0; i < m.slots.size(); ++i) {
        pid_t pid = m.slots[i].pid;
        if (pid == 0) continue;
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) child_exited(int(i), status);
    }
    refill_soon();
    finish_stop_if_done();
}

}  // namespace threaded
