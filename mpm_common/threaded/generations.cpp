// Generations: start, graceful and hard restart, stop. The core handles the
// master's signals itself and calls start/stop on its loop; here we only
// signal our children, by pid (never the process group: CGIs and piped
// loggers are not ours to kill).
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "threaded/threaded.h"

namespace threaded {
namespace {

constexpr int64_t kKillAfterMs = 3000;  // SIGTERM ignored this long: SIGKILL

void on_tick(uv_timer_t *)
{
    Master &m = master();
    int64_t now = monotonic_ms();
    for (ChildRecord &c : m.slots) {
        if (c.pid != 0 && c.terminated_ms != 0 && !c.killed && now - c.terminated_ms >= kKillAfterMs) {
            log_error(MH_LOG_WARNING, 0, "AH00045: child process %ld still did not exit, sending a SIGKILL", long(c.pid));
            kill(c.pid, SIGKILL);
            c.killed = true;
        }
    }
    if (m.stopping != Stopping::No) return;
    // Apache's loop: crashes are replaced at once only until a quiet second.
    if (!m.death_since_tick) m.successive_kills = 0;
    m.death_since_tick = false;
    if (m.remaining_to_start > 0) {
        // Left over from a restart: the old generation has had a second to
        // leave. What is started now is not idle yet, so no maintenance.
        start_children(m.remaining_to_start);
        m.remaining_to_start = 0;
        m.waiting_for_rows = false;
        return;
    }
    idle_maintenance();
}

void on_sigchld(uv_signal_t *, int) { reap_children(); }

void on_refill(uv_timer_t *)
{
    Master &m = master();
    if (m.stopping != Stopping::No || m.remaining_to_start <= 0) return;
    m.remaining_to_start -= start_children(m.remaining_to_start);
    if (m.remaining_to_start == 0) m.waiting_for_rows = false;
}

// After a change of MPM, rows of the new generation's range may be held by
// the old MPM's children; the old MPM frees them as it reaps them.
bool rows_held_by_another_mpm(const Master &m)
{
    for (int i = 0; i < m.cfg.max_processes() && i < int(m.slots.size()); ++i)
        if (m.slots[size_t(i)].pid == 0 && svc()->process_pid(i) != 0) return true;
    return false;
}

void open_handles(Master &m);

void on_closed(uv_handle_t *)
{
    Master &m = master();
    if (--m.handles_closing > 0) return;
    m.handles_open = false;
    // Started again while the handles closed (the MPM was changed back on
    // a restart): serve on with new ones.
    if (m.stopping == Stopping::No) open_handles(m);
    else svc()->stopped(profile().module);
}

void open_handles(Master &m)
{
    uv_loop_t *loop = svc()->loop();
    uv_timer_init(loop, &m.tick);
    uv_timer_start(&m.tick, on_tick, 1000, 1000);
    uv_signal_init(loop, &m.sigchld);
    uv_signal_start(&m.sigchld, on_sigchld, SIGCHLD);
    uv_timer_init(loop, &m.refill);
    m.handles_open = true;
}

bool any_child(const Master &m)
{
    return std::any_of(m.slots.begin(), m.slots.end(), [](const ChildRecord &c) { return c.pid != 0; });
}

}  // namespace

Master &master()
{
    static Master m;
    return m;
}

int start(mh_server *s, int kind)
{
    Master &m = master();
    m.pid = getpid();
    m.server = s;
    m.cfg = settings_of(s);
    m.generation = svc()->generation();
    m.stopping = Stopping::No;
    m.listen_fds.clear();
    for (int i = 0; i < svc()->listener_count(); ++i) m.listen_fds.push_back(svc()->listener_fd(i));

    if (!m.handles_open) {
        if (svc()->scoreboard_open(m.cfg.server_limit, m.cfg.thread_limit + extra_slots()) != 0) {
            log_error(MH_LOG_EMERG, errno, "Unable to create the scoreboard (%d processes of %d threads)",
                      m.cfg.server_limit, m.cfg.thread_limit);
            return -1;
        }
        int server_limit = 0;
        svc()->scoreboard_limits(&server_limit, &m.thread_limit);
        m.slots.assign(size_t(server_limit), ChildRecord{});
        open_handles(m);
    }
    svc()->scoreboard_describe(m.cfg.max_processes(), m.cfg.threads_per_child + extra_slots(), m.cfg.max_workers);

    for (size_t i = 0; i < m.slots.size(); ++i) {
        const ChildRecord &c = m.slots[i];
        if (c.pid == 0 || c.generation == m.generation) continue;
        if (kind == MH_RESTART_HARD) terminate(int(i));
        else if (!c.leaving) ask_to_leave(int(i));
    }
    // The new generation starts now in the free slots; the rest replaces the
    // old one process for process as it leaves (reaper.cpp).
    int wanted = std::min(m.cfg.start_servers, m.cfg.max_processes());
    m.remaining_to_start = wanted - start_children(wanted);
    m.waiting_for_rows = m.remaining_to_start > 0 && rows_held_by_another_mpm(m);
    m.spawn_rate = 1;
    m.hold_off = kind == MH_RESTART_GRACEFUL ? 10 : 0;  // Apache: no doubling while the old one leaves
    log_error(MH_LOG_DEBUG, 0,
              "generation %d: %d of %d processes started, %d threads each; accept: epoll with EPOLLEXCLUSIVE "
              "on %zu listeners",
              m.generation, wanted - m.remaining_to_start, wanted, m.cfg.threads_per_child, m.listen_fds.size());
    return 0;
}

void stop(mh_server *, int how)
{
    Master &m = master();
    if (!m.handles_open) {
        svc()->stopped(profile().module);
        return;
    }
    m.stopping = how == MH_STOP_NOW || m.stopping == Stopping::Now ? Stopping::Now : Stopping::Gracefully;
    m.remaining_to_start = 0;
    m.waiting_for_rows = false;
    for (size_t i = 0; i < m.slots.size(); ++i) {
        const ChildRecord &c = m.slots[i];
        if (c.pid == 0) continue;
        if (m.stopping == Stopping::Now) {
            if (c.terminated_ms == 0) terminate(int(i));
        } else if (!c.leaving) {
            ask_to_leave(int(i));
        }
    }
    finish_stop_if_done();
}

void finish_stop_if_done()
{
    Master &m = master();
    if (m.stopping == Stopping::No || !m.handles_open || m.handles_closing > 0 || any_child(m)) return;
    m.handles_closing = 3;
    uv_close(reinterpret_cast<uv_handle_t *>(&m.tick), on_closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&m.sigchld), on_closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&m.refill), on_closed);
}

void refill_soon()
{
    // Every SIGCHLD watcher of the loop runs in the same turn, in no set
    // order: the old MPM's reaper may free its rows after this one ran.
    // A zero timer runs on the next turn, after all of them, instead of a
    // second later on the tick (no process would accept meanwhile).
    Master &m = master();
    if (m.waiting_for_rows && m.remaining_to_start > 0 && m.stopping == Stopping::No && m.handles_open)
        uv_timer_start(&m.refill, on_refill, 0, 0);
}

}  // namespace threaded
