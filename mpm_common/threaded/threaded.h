// The master side shared by the threaded MPMs (mpm_worker, mpm_event):
// Apache's worker/event directives and their corrections, the process pool
// with idle-thread maintenance and saturation episodes, generations and the
// reaper. Each MPM links this library and supplies its child (Profile).
// Everything here runs on the core's libuv loop in the master.
//
//   directives.cpp   directives and check_config
//   generations.cpp  start / restart / stop, signals to children
//   pool.cpp         slot table, fork, idle-thread maintenance, saturation
//   reaper.cpp       SIGCHLD: reaping, exit statuses, crash replacement
//   child_start.cpp  a child's first steps
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <uv.h>

#include <cstdint>
#include <vector>

#include "accept_error.h"
#include "modhttpd/modhttpd.h"

namespace threaded {

// Exit codes a child reports to the master (Apache's APEXIT_*).
constexpr int kExitSick = 7;    // out of a resource: slow the spawn rate down
constexpr int kExitFatal = 15;  // cannot ever work (e.g. User): stop the server

// One configuration's settings: the module's server config. check_config
// makes them consistent, so that max_workers is a multiple of
// threads_per_child and needs at most server_limit processes.
struct Settings {
    int start_servers = 3;
    int min_spare_threads = 75;
    int max_spare_threads = 250;
    int threads_per_child = 25;
    int thread_limit = 64;       // thread slots per process, fixed at first start
    int server_limit = 16;       // process slots, fixed at first start
    int max_workers = 400;       // MaxRequestWorkers: threads alive at once
    int max_connections = 0;     // MaxConnectionsPerChild, 0 = never recycle
    double async_factor = 2;     // AsyncRequestWorkerFactor (event)
    int max_processes() const { return max_workers / threads_per_child; }
};

// The services table, kept from register_hooks.
extern const mh_api *api;
inline const mh_mpm_services *svc() { return api->mpm; }

// The error log, as "[mpm_worker:level]". `os_errno` 0 unless a call failed.
void log_error(int level, int os_errno, const char *fmt, ...) MH_PRINTF(3, 4);
int64_t monotonic_ms();

// What tells the MPMs on this master apart: their module, their child, and
// the AH numbers of Apache's warnings (worker's and event's differ).
struct Numbers {
    // Each pair: at startup ("" for none), at restart.
    const char *server_limit_high[2], *server_limit_low[2], *server_limit_changed;
    const char *thread_limit_high[2], *thread_limit_low[2], *thread_limit_changed;
    const char *threads_high[2], *threads_low[2];
    const char *workers_low[2], *workers_not_multiple[2], *workers_over_limit[2];
    const char *start_servers_low[2], *min_spare_low[2];
};

struct Profile {
    const mh_module *module;
    // [child] What a new child runs; never returns.
    void (*child_main)(int slot, int generation, const struct Settings &cfg, const std::vector<int> &listen_fds);
    const Numbers *numbers;
    bool async;  // event: AsyncRequestWorkerFactor
    // event: one scoreboard row more per process, after the workers', for
    // what its event loop thread serves itself.
    bool loop_slot;
};

// Called from the MPM's register_hooks.
void init(const mh_api *a, const Profile *p);
const Profile &profile();
// The extra scoreboard rows per process (0 or 1).
inline int extra_slots() { return profile().loop_slot ? 1 : 0; }

// ---- directives.cpp ----
// The directive table: worker's, or event's (with AsyncRequestWorkerFactor).
const mh_command *commands(bool async);
void *create_server_config(mh_pool *pool);
int check_config(mh_server *s);
const Settings &settings_of(const mh_server *s);

// ---- master state (generations.cpp owns it) ----
struct ChildRecord {
    pid_t pid = 0;                // 0: the slot is free
    int generation = 0;
    int threads = 0;              // its ThreadsPerChild (a restart may change it)
    bool leaving = false;         // SIGUSR1 or SIGTERM sent: no longer counted
    int64_t terminated_ms = 0;    // when SIGTERM was sent (monotonic), 0: not sent
    bool killed = false;          // SIGKILL sent: its death is no news
};

enum class Stopping { No, Gracefully, Now };

struct Master {
    pid_t pid = 0;                // the master's (children compare their parent with it)
    Settings cfg;                 // of the generation being served
    const mh_server *server = nullptr;
    int generation = 0;
    int thread_limit = 0;         // of the scoreboard
    std::vector<int> listen_fds;  // what children accept on (the core's sockets)
    std::vector<ChildRecord> slots;  // by scoreboard process slot
    int spawn_rate = 1;           // processes forked per tick while short: 1..32
    int hold_off = 0;             // ticks without doubling after a graceful restart
    int remaining_to_start = 0;   // StartServers not yet forked after a restart
    bool waiting_for_rows = false;  // another MPM's children hold the rows they are to take
    int successive_kills = 0;     // crashes replaced at once, reset by a quiet tick
    bool death_since_tick = false;
    Stopping stopping = Stopping::No;

    // Saturation episodes: every thread busy and no room for another process.
    bool saturated = false;
    bool episode_reported = false;
    int64_t episode_start_ms = 0;
    int64_t last_report_ms = 0;   // 0: never reported
    int unreported = 0;           // episodes since the last report
    int64_t last_near_ms = 0, last_full_ms = 0;  // AH00287 / AH00288, rate-limited

    bool handles_open = false;
    int handles_closing = 0;
    uv_timer_t tick{};            // maintenance and SIGKILL escalation, once a second
    uv_signal_t sigchld{};
    uv_timer_t refill{};          // starts children in rows another MPM's children left
};
Master &master();

// ---- generations.cpp ----
int start(mh_server *s, int kind);
void stop(mh_server *s, int how);
// Called by the reaper once no child is left while stopping.
void finish_stop_if_done();
// Called by the reaper: a child exited, maybe another MPM's, whose row the
// new generation waits for.
void refill_soon();

// ---- pool.cpp ----
// Forks a child into a free slot. 0, or -1 when fork failed.
int make_child(int slot);
// Forks up to n children into free slots below MaxRequestWorkers; returns how many.
int start_children(int n);
void idle_maintenance();
void ask_to_leave(int slot);  // SIGUSR1: finish the connections, then exit
void terminate(int slot);     // SIGTERM: exit now

// ---- reaper.cpp ----
void reap_children();

// ---- child_start.cpp: [child] ----
// SIGTERM, SIGINT, SIGUSR1: what a child's main thread takes with sigwait.
sigset_t control_signals();
// After fork: the core's child setup, the control signals blocked (every
// thread started later inherits that), privileges dropped, death with the
// master, child_init hooks. Exits the process when any of it fails.
void enter_child();

}  // namespace threaded
