// The pool of children: forking into scoreboard slots and Apache's idle-server
// maintenance, once per tick. Slots run 0..MaxRequestWorkers-1, so the pool
// never holds more children than MaxRequestWorkers (children of an old
// generation still finishing keep their slots and count).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "prefork.h"

namespace prefork {
namespace {

constexpr int kMaxSpawnRate = 32;
constexpr int64_t kSaturationReportMs = 60 * 1000;  // at most one line a minute

bool is_idle(const Master &m, int slot, const ChildRecord &c)
{
    if (c.generation != m.generation || c.asked_to_leave || c.terminated_ms) return false;
    // A starting child counts as idle: it was forked at least a tick ago, and
    // forking more while it starts would only swamp things worse (Apache).
    int state = svc()->slot_state(svc()->slot(slot, 0));
    return state == MH_WORKER_READY || state == MH_WORKER_STARTING;
}

// Apache logs AH00161 once per lifetime, so monitoring sees the first
// saturation only. Here each episode (no idle child and no free slot, until
// a tick sees an idle child again) is counted in the scoreboard, and logged
// at most once a minute with the number of episodes left unsaid meanwhile.
void note_saturation(int idle, int free_slots, int total)
{
    Master &m = master();
    int64_t now = monotonic_ms();
    bool due = m.last_report_ms == 0 || now - m.last_report_ms >= kSaturationReportMs;
    if (idle > 0) {
        m.saturated = false;
        if (m.unreported > 0 && due) {
            log_error(MH_LOG_ERR, 0,
                      "AH00161: server reached MaxRequestWorkers setting %d more time(s) in the last %lld seconds "
                      "(%llu times since start), consider raising the MaxRequestWorkers setting",
                      m.unreported, (long long)((now - m.last_report_ms) / 1000), (unsigned long long)m.episodes);
            m.unreported = 0;
            m.last_report_ms = now;
        }
        return;
    }
    if (m.saturated || free_slots > 0) return;  // the same episode goes on, or there is room
    m.saturated = true;
    ++m.episodes;
    svc()->scoreboard_saturated();
    if (!due) {
        ++m.unreported;
        return;
    }
    char more[96] = "";
    if (m.unreported > 0) snprintf(more, sizeof more, ", %d more since the last report", m.unreported);
    char limit[128] = "";
    int server_limit = 0;
    svc()->scoreboard_limits(&server_limit, nullptr);
    if (m.cfg.max_workers >= server_limit)
        snprintf(limit, sizeof limit, "; ServerLimit is %d too: raise both, with a full stop and start", server_limit);
    log_error(MH_LOG_ERR, 0,
              "AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting "
              "(all %d children busy; episode %llu since start%s%s)",
              total, (unsigned long long)m.episodes, more, limit);
    m.unreported = 0;
    m.last_report_ms = now;
}

}  // namespace

int make_child(int slot)
{
    Master &m = master();
    mh_slot *sb = svc()->slot(slot, 0);
    svc()->slot_set_state(sb, MH_WORKER_STARTING);
    svc()->process_set(slot, 0, m.generation, 0);

    // With every signal blocked across fork, a signal meant for the new child
    // cannot run the master's libuv handler in it (which would write into the
    // master's signal pipe); the child unblocks after resetting handlers.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pid_t master_pid = getpid();
    pid_t pid = fork();
    if (pid == 0) child_main(slot, m.generation, m.cfg, master_pid);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) {
        log_error(MH_LOG_ERR, err, "AH00159: fork: Unable to fork new process");
        svc()->slot_set_state(sb, MH_WORKER_DEAD);
        svc()->process_set(slot, 0, 0, 0);
        m.spawn_rate = 1;  // resources are short: no doubling (no sleep on the loop either)
        return -1;
    }
    m.slots[size_t(slot)] = ChildRecord{pid, m.generation};
    m.slot_of[pid] = slot;
    svc()->process_set(slot, pid, m.generation, 0);
    return 0;
}

// After a graceful restart that changed the MPM, the old MPM's children
// keep their rows until they exit.
static bool row_free(const Master &m, int slot)
{
    return m.slots[size_t(slot)].pid == 0 && svc()->process_pid(slot) == 0;
}

int start_children(int n)
{
    Master &m = master();
    int started = 0;
    for (int i = 0; i < m.cfg.max_workers && started < n; ++i) {
        if (!row_free(m, i)) continue;
        if (make_child(i) != 0) break;
        ++started;
    }
    return started;
}

void ask_to_leave(int slot)
{
    ChildRecord &c = master().slots[size_t(slot)];
    if (c.pid == 0 || c.asked_to_leave || c.terminated_ms) return;
    // By pid, not the process group: CGIs or piped loggers would not take it well.
    kill(c.pid, SIGUSR1);
    c.asked_to_leave = true;
    // An idle child shows it is leaving; a busy one shows what it serves
    // (it says 'G' itself when done).
    mh_slot *row = svc()->slot(slot, 0);
    if (svc()->slot_state(row) == MH_WORKER_READY) svc()->slot_set_state(row, MH_WORKER_GRACEFUL);
    svc()->process_set(slot, c.pid, c.generation, 1);
}

void terminate(int slot)
{
    ChildRecord &c = master().slots[size_t(slot)];
    if (c.pid == 0 || c.terminated_ms) return;
    kill(c.pid, SIGTERM);
    c.terminated_ms = monotonic_ms();
    svc()->process_set(slot, c.pid, c.generation, 1);
}

void idle_maintenance()
{
    Master &m = master();
    int free_slots[kMaxSpawnRate];
    int free_length = 0, free_total = 0;
    int idle = 0, total = 0, last_idle = -1;
    for (int i = 0; i < m.cfg.max_workers; ++i) {
        const ChildRecord &c = m.slots[size_t(i)];
        if (c.pid == 0) {
            if (!row_free(m, i)) continue;  // another MPM's, for now
            if (free_length < m.spawn_rate) free_slots[free_length++] = i;  // lowest slots first
            ++free_total;
            continue;
        }
        ++total;
        if (is_idle(m, i, c)) {
            ++idle;
            last_idle = i;
        }
    }
    note_saturation(idle, free_total, total);

    if (idle > m.cfg.max_spare) {
        // One a tick, gracefully: it may have taken a connection meanwhile.
        ask_to_leave(last_idle);
        m.spawn_rate = 1;
    } else if (idle < m.cfg.min_spare) {
        if (free_length == 0) {
            m.spawn_rate = 1;  // at MaxRequestWorkers
            return;
        }
        if (m.spawn_rate >= 8)
            log_error(MH_LOG_INFO, 0,
                      "AH00162: server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), "
                      "spawning %d children, there are %d idle, and %d total children",
                      m.spawn_rate, idle, total);
        for (int i = 0; i < free_length; ++i) make_child(free_slots[i]);
        // Twice as many next tick if this was not enough, except just after a graceful restart.
        if (m.hold_off > 0) --m.hold_off;
        else if (m.spawn_rate < kMaxSpawnRate) m.spawn_rate *= 2;
    } else {
        m.spawn_rate = 1;
    }
}

}  // namespace prefork
