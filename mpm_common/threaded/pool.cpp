// The process pool: forking into scoreboard slots, and Apache's idle-thread
// maintenance once a second. Idle threads are counted across the processes
// of the current generation that are not leaving; above MaxSpareThreads one
// process is retired per tick, below MinSpareThreads 1, 2, 4 .. 32 are
// forked per tick while the shortage lasts. New processes only take slots
// below MaxRequestWorkers / ThreadsPerChild, so threads never exceed
// MaxRequestWorkers.
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "threaded/threaded.h"

namespace threaded {
namespace {

constexpr int kMaxSpawnRate = 32;
constexpr int64_t kReportEveryMs = 60000;  // saturation messages, at most

bool is_idle(int state) { return state == MH_WORKER_STARTING || state == MH_WORKER_READY; }

// Serving or ready to: what counts against MaxRequestWorkers.
bool is_active(int state)
{
    return state != MH_WORKER_DEAD && state != MH_WORKER_STARTING && state != MH_WORKER_GRACEFUL &&
           state != MH_WORKER_IDLE_KILL;
}

bool quiescing(int slot)
{
    mh_status_process p{};
    p.struct_size = sizeof p;
    return api->status_process(slot, &p) == 0 && p.quiescing;  // a child retiring on its own
}

void set_thread_states(int slot, int starting, int thread_limit)
{
    for (int t = 0; t < thread_limit; ++t)
        svc()->slot_set_state(svc()->slot(slot, t), t < starting ? MH_WORKER_STARTING : MH_WORKER_DEAD);
}

// A new episode of the pool at MaxRequestWorkers is counted each time;
// Apache logs AH00286 once per server lifetime, we once per episode, at most
// once a minute, and say when it ends.
void note_saturation(bool saturated, int busy)
{
    Master &m = master();
    if (saturated == m.saturated) return;
    m.saturated = saturated;
    int64_t now = monotonic_ms();
    if (!saturated) {
        if (m.episode_reported)
            log_error(MH_LOG_NOTICE, 0, "server is below MaxRequestWorkers again after %lld s at the limit",
                      (long long)((now - m.episode_start_ms) / 1000));
        return;
    }
    svc()->scoreboard_saturated();
    m.episode_start_ms = now;
    m.episode_reported = m.last_report_ms == 0 || now - m.last_report_ms >= kReportEveryMs;
    if (!m.episode_reported) {
        ++m.unreported;
        return;
    }
    log_error(MH_LOG_ERR, 0,
              "AH00286: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers "
              "setting (all %d threads busy; new connections wait in the listen backlog)%s",
              busy, m.unreported ? "; earlier episodes were not logged (at most one message a minute)" : "");
    m.last_report_ms = now;
    m.unreported = 0;
}

bool due(int64_t &last_ms)
{
    int64_t now = monotonic_ms();
    if (last_ms != 0 && now - last_ms < kReportEveryMs) return false;
    last_ms = now;
    return true;
}

// No free slot although threads are short.
void report_no_room(int idle, int active)
{
    Master &m = master();
    if (active >= m.cfg.max_workers) {
        if (idle > 0 && due(m.last_near_ms))
            log_error(MH_LOG_ERR, 0,
                      "AH00287: server is within MinSpareThreads of MaxRequestWorkers, consider raising the "
                      "MaxRequestWorkers setting");
    } else if (due(m.last_full_ms)) {
        log_error(MH_LOG_ERR, 0,
                  "AH00288: scoreboard is full, not at MaxRequestWorkers (processes of an older generation "
                  "still finishing their connections hold slots)");
    }
    m.spawn_rate = 1;
}

}  // namespace

int make_child(int slot)
{
    Master &m = master();
    set_thread_states(slot, m.cfg.threads_per_child, m.thread_limit);
    // No signal may run a libuv handler in the child before it resets them:
    // that handler would write into the master's signal pipe.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) profile().child_main(slot, m.generation, m.cfg, m.listen_fds);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) {
        log_error(MH_LOG_ERR, saved, "AH00283: fork: Unable to fork new process");
        set_thread_states(slot, 0, m.thread_limit);
        return -1;
    }
    m.slots[size_t(slot)] = ChildRecord{pid, m.generation, m.cfg.threads_per_child};
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
    for (int i = 0; i < m.cfg.max_processes() && i < int(m.slots.size()) && started < n; ++i) {
        if (!row_free(m, i)) continue;
        if (make_child(i) != 0) break;
        ++started;
    }
    return started;
}

void ask_to_leave(int slot)
{
    ChildRecord &c = master().slots[size_t(slot)];
    kill(c.pid, SIGUSR1);
    c.leaving = true;
    svc()->process_set(slot, c.pid, c.generation, 1);
}

void terminate(int slot)
{
    ChildRecord &c = master().slots[size_t(slot)];
    kill(c.pid, SIGTERM);
    c.leaving = true;
    c.terminated_ms = monotonic_ms();
    svc()->process_set(slot, c.pid, c.generation, 1);
}

void idle_maintenance()
{
    Master &m = master();
    const Settings &cfg = m.cfg;
    int idle = 0, active = 0, total = 0;
    int retire = -1, retire_idle = -1;
    std::vector<int> free_slots;
    for (int i = 0; i < int(m.slots.size()); ++i) {
        const ChildRecord &c = m.slots[size_t(i)];
        if (c.pid == 0) {
            if (i < cfg.max_processes() && int(free_slots.size()) < m.spawn_rate && row_free(m, i))
                free_slots.push_back(i);
            continue;
        }
        ++total;
        bool current = c.generation == m.generation && !c.leaving && !quiescing(i);
        int its_idle = 0;
        for (int t = 0; t < c.threads; ++t) {
            int state = svc()->slot_state(svc()->slot(i, t));
            its_idle += current && is_idle(state);
            active += is_active(state);
        }
        idle += its_idle;
        // Retire the process with the most idle threads: it disturbs the fewest clients.
        if (current && its_idle >= retire_idle) {
            retire = i;
            retire_idle = its_idle;
        }
    }
    note_saturation(idle == 0 && free_slots.empty() && active >= cfg.max_workers, active);

    if (idle > cfg.max_spare_threads) {
        if (retire >= 0) {
            log_error(MH_LOG_DEBUG, 0, "%d idle threads > MaxSpareThreads %d: retiring pid %ld", idle,
                      cfg.max_spare_threads, long(m.slots[size_t(retire)].pid));
            ask_to_leave(retire);
        }
        m.spawn_rate = 1;
    } else if (idle < cfg.min_spare_threads) {
        if (free_slots.empty()) {
            report_no_room(idle, active);
            return;
        }
        log_error(MH_LOG_DEBUG, 0, "%d idle threads < MinSpareThreads %d: spawning %d children", idle,
                  cfg.min_spare_threads, int(free_slots.size()));
        if (m.spawn_rate >= 8)
            log_error(MH_LOG_INFO, 0,
                      "AH00289: server seems busy, (you may need to increase StartServers, ThreadsPerChild or "
                      "Min/MaxSpareThreads), spawning %d children, there are around %d idle threads, and %d "
                      "total children",
                      int(free_slots.size()), idle, total);
        for (int slot : free_slots)
            if (make_child(slot) != 0) break;
        if (m.hold_off > 0) --m.hold_off;
        else if (m.spawn_rate < kMaxSpawnRate) m.spawn_rate *= 2;
    } else {
        m.spawn_rate = 1;
    }
}

}  // namespace threaded
