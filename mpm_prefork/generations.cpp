// Generations: start, graceful and hard restart, stop. The core bumps the
// generation and calls start() again on USR1/HUP, stop() on TERM/WINCH; all
// of it runs on the core's loop, where this file keeps its three handles:
// the maintenance tick, the SIGCHLD watcher and the SIGKILL escalation timer.
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cerrno>

#include "prefork.h"

namespace prefork {
namespace {

constexpr uint64_t kTickMs = 1000;
constexpr uint64_t kKillAfterMs = 3000;  // SIGTERM, then SIGKILL for the stubborn

Master g_master;

void on_tick(uv_timer_t *)
{
    Master &m = g_master;
    reap_children();  // SIGCHLD coalesces; this also catches a missed one
    if (m.stopping != Stopping::No) return;
    if (m.remaining_to_start > 0) {
        // A quiet second after a restart: old children had their chance to
        // leave; start what is left and count idle ones next tick (Apache).
        start_children(m.remaining_to_start);
        m.remaining_to_start = 0;
        return;
    }
    idle_maintenance();
}

void on_sigchld(uv_signal_t *, int) { reap_children(); }

// Children sent SIGTERM kKillAfterMs ago and still there get SIGKILL; the
// timer runs again for those terminated later.
void on_escalate(uv_timer_t *)
{
    Master &m = g_master;
    int64_t now = monotonic_ms(), next = 0;
    for (auto [pid, slot] : m.slot_of) {
        ChildRecord &c = m.slots[size_t(slot)];
        if (c.terminated_ms == 0 || c.killed) continue;
        int64_t due = c.terminated_ms + int64_t(kKillAfterMs);
        if (due > now) {
            next = next ? std::min(next, due) : due;
            continue;
        }
        log_error(MH_LOG_ERR, 0, "AH00046: child process %ld still did not exit, sending a SIGKILL", long(pid));
        kill(pid, SIGKILL);
        c.killed = true;
    }
    if (next) uv_timer_start(&m.escalate, on_escalate, uint64_t(next - now), 0);
}

void open_handles()
{
    Master &m = g_master;
    if (m.handles_open) return;  // also while they close: on_closed opens them again
    uv_loop_t *loop = svc()->loop();
    uv_timer_init(loop, &m.tick);
    uv_timer_init(loop, &m.escalate);
    uv_timer_init(loop, &m.queue_watch);
    uv_timer_start(&m.queue_watch, [](uv_timer_t *) { front_watch(); }, 100, 100);
    uv_signal_init(loop, &m.sigchld);
    uv_signal_start(&m.sigchld, on_sigchld, SIGCHLD);
    uv_timer_start(&m.tick, on_tick, kTickMs, kTickMs);
    m.handles_open = true;
}

void on_closed(uv_handle_t *)
{
    Master &m = g_master;
    if (--m.handles_closing > 0) return;
    m.handles_open = false;
    // Started again while the handles closed (the MPM was changed back on
    // a restart): serve on with new ones.
    if (m.stopping == Stopping::No) open_handles();
    else svc()->stopped(&mpm_prefork_module);
}

void escalate_later()
{
    if (!uv_is_active(reinterpret_cast<uv_handle_t *>(&g_master.escalate)))
        uv_timer_start(&g_master.escalate, on_escalate, kKillAfterMs, 0);
}

}  // namespace

Master &master() { return g_master; }

int64_t monotonic_ms()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int start(mh_server *s, int kind)
{
    Master &m = g_master;
    const Settings &cfg = settings_of(s);
    if (svc()->scoreboard_open(cfg.server_limit, 1) != 0) {
        log_error(MH_LOG_CRIT, errno, "could not create the scoreboard for %d processes", cfg.server_limit);
        return -1;
    }
    int server_limit = 0;
    svc()->scoreboard_limits(&server_limit, nullptr);
    if (m.slots.size() < size_t(server_limit)) m.slots.resize(size_t(server_limit));

    m.cfg = cfg;
    m.cfg.max_workers = std::min(cfg.max_workers, server_limit);
    m.cfg.start_servers = std::min(cfg.start_servers, m.cfg.max_workers);
    m.server = s;
    m.generation = svc()->generation();
    m.stopping = Stopping::No;
    svc()->scoreboard_describe(m.cfg.max_workers, 1, m.cfg.max_workers);
    open_handles();
    front_generation();

    // The previous generation ends as asked; its children keep their slots
    // until they are reaped, so the new one starts in the free slots and the
    // rest one for one as old children leave (the reaper does that).
    for (auto [pid, slot] : m.slot_of) {
        if (m.slots[size_t(slot)].generation == m.generation) continue;
        if (kind == MH_RESTART_HARD) terminate(slot);
        else ask_to_leave(slot);
    }
    if (kind == MH_RESTART_HARD) escalate_later();
    if (kind == MH_RESTART_GRACEFUL) m.hold_off = 10;  // Apache: no exponential spawning for 10 ticks

    m.remaining_to_start = m.cfg.start_servers - start_children(m.cfg.start_servers);
    return 0;
}

void stop(mh_server *, int how)
{
    Master &m = g_master;
    if (how == MH_STOP_GRACEFUL && m.stopping == Stopping::Now) return;
    m.stopping = how == MH_STOP_NOW ? Stopping::Now : Stopping::Gracefully;
    m.remaining_to_start = 0;
    front_stop(how == MH_STOP_NOW);
    for (auto [pid, slot] : m.slot_of) {
        if (how == MH_STOP_NOW) terminate(slot);
        else ask_to_leave(slot);
    }
    if (how == MH_STOP_NOW && !m.slot_of.empty()) escalate_later();
    finish_stop_if_done();
}

void finish_stop_if_done()
{
    Master &m = g_master;
    bool front_left = m.front_pid != 0 || !m.old_fronts.empty();
    if (m.stopping == Stopping::No || !m.slot_of.empty() || front_left || m.handles_closing > 0) return;
    if (!m.handles_open) {
        svc()->stopped(&mpm_prefork_module);
        return;
    }
    // The listeners are the core's and stay open; only our handles go.
    m.handles_closing = 4;
    front_close();
    uv_close(reinterpret_cast<uv_handle_t *>(&m.queue_watch), on_closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&m.tick), on_closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&m.escalate), on_closed);
    uv_close(reinterpret_cast<uv_handle_t *>(&m.sigchld), on_closed);
}

}  // namespace prefork
