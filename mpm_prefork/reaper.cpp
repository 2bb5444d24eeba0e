// Reaping children on SIGCHLD: free the slot, say how the child died in
// Apache's words, and take the few decisions an exit status asks for.
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "prefork.h"

namespace prefork {
namespace {

// A signal the master did not send is news: a crash, or the OOM killer.
// Apache never reports SIGKILL; it does here unless the master sent it.
void report_signal(pid_t pid, int status, const ChildRecord &c)
{
    int sig = WTERMSIG(status);
    if (sig == SIGTERM || sig == SIGHUP || sig == SIGUSR1 || (sig == SIGKILL && c.killed)) return;
    if (WCOREDUMP(status)) {
        const char *dir = master().server ? api->server_root(master().server) : "";
        log_error(MH_LOG_NOTICE, 0, "AH00051: child pid %ld exit signal %s (%d), possible coredump in %s", long(pid),
                  strsignal(sig), sig, dir);
    } else {
        log_error(MH_LOG_NOTICE, 0, "AH00052: child pid %ld exit signal %s (%d)", long(pid), strsignal(sig), sig);
    }
}

void child_exited(pid_t pid, int status)
{
    Master &m = master();
    auto it = m.slot_of.find(pid);
    int slot = it->second;
    ChildRecord c = m.slots[size_t(slot)];
    m.slot_of.erase(it);
    m.slots[size_t(slot)] = ChildRecord{};
    svc()->slot_set_state(svc()->slot(slot, 0), MH_WORKER_DEAD);
    svc()->process_set(slot, 0, 0, 0);

    if (WIFSIGNALED(status)) report_signal(pid, status, c);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == kExitFatal && c.generation == m.generation && m.stopping == Stopping::No) {
        // It will fail the same way in every new child: stop instead of
        // forking in a loop. SIGTERM to ourselves takes the core's own path.
        log_error(MH_LOG_ALERT, 0, "AH00050: Child %ld returned a Fatal error... the server is exiting!", long(pid));
        kill(getpid(), SIGTERM);
        return;
    }
    if (code == kExitSick) {
        m.spawn_rate = 1;  // it ran out of something: no fork storm
        return;
    }
    // After a restart, old children are replaced one for one as they leave.
    // Any other death is made up by maintenance within a tick, as in Apache:
    // a child that dies at once (a crashing child_init, say) then costs at
    // most spawn-rate forks a second rather than a fork loop.
    if (m.remaining_to_start > 0 && m.stopping == Stopping::No && slot < m.cfg.max_workers) {
        if (make_child(slot) == 0) --m.remaining_to_start;
    }
}

}  // namespace

void reap_children()
{
    // Only our own children: after a graceful restart that changed the MPM,
    // the master has another MPM's children too, and they are its to reap.
    std::vector<std::pair<pid_t, int>> exited;  // (child_exited changes slot_of)
    for (auto [pid, slot] : master().slot_of) {
        int status = 0;
        pid_t got;
        do got = waitpid(pid, &status, WNOHANG);
        while (got < 0 && errno == EINTR);
        if (got == pid) exited.emplace_back(pid, status);
    }
    for (auto [pid, status] : exited) child_exited(pid, status);
    front_reap();
    finish_stop_if_done();
}

}  // namespace prefork
