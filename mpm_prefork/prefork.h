// mpm_prefork internals shared by its files: one process per connection,
// Apache's prefork. Everything on the master side runs on the core's libuv
// loop; a child gets what it needs by fork.
//
//   mpm_prefork.cpp  module descriptor and MPM entry
//   directives.cpp   directives and check_config
//   generations.cpp  start / restart / stop, signals to children
//   pool.cpp         slot table, fork, idle-server maintenance, saturation
//   reaper.cpp       SIGCHLD: reaping and exit-status reports
//   child.cpp        a child's life: signals, privileges, the accept loop
//   listen_wait.cpp  waiting for a connection without a thundering herd
//   front.cpp        the front process: waits for request heads while no
//                    child is idle (PreforkFront)
//   front_control.cpp  the master's side of it: the hand-off queue, the
//                    front's generations, children forked for what waits
#pragma once

#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <uv.h>

#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "modhttpd/modhttpd.h"

extern "C" MH_EXPORT const mh_module mpm_prefork_module;

namespace prefork {

// Exit codes a child reports to the master (Apache's APEXIT_*).
constexpr int kExitSick = 7;    // out of a resource: slow the spawn rate down
constexpr int kExitFatal = 15;  // cannot ever work (e.g. User): stop the server

// One configuration's settings: the module's server config.
struct Settings {
    int start_servers = 5;
    int min_spare = 5;
    int max_spare = 10;
    int max_workers = 256;     // MaxRequestWorkers: most children alive at once
    int server_limit = 256;    // scoreboard slots, fixed at first start
    int max_connections = 0;   // MaxConnectionsPerChild, 0 = never recycle
    int front = 1;             // PreforkFront: a front process waits for heads while no child is idle
};

// The front (PreforkFront On). While every child is busy, a process of its
// own takes the new connections and waits for their request heads on an
// event loop, so that a client that sends its head slowly (slowloris) holds
// no child; a complete head (or a bad or late one, which a child then
// answers) goes to the next free child through the hand-off queue, a
// SOCK_SEQPACKET socket pair carrying the descriptor. While children are
// idle they accept for themselves, as without the front.
struct FrontShared {             // shared memory: master, front, children
    std::atomic<int> active;     // the front takes new connections; children take the queue only
    std::atomic<int> queued;     // handed over, not yet taken by a child
    std::atomic<int> held;       // connections whose heads the front waits for
};
// What goes through the queue with each descriptor.
struct Handoff {
    int64_t head_started_ms;     // when the connection was accepted (its head clock)
    int listener;
    socklen_t peer_len;
    sockaddr_storage peer;
};

// The services table, kept from register_hooks.
extern const mh_api *api;
inline const mh_mpm_services *svc() { return api->mpm; }

// The error log, as "[mpm_prefork:level]". `os_errno` 0 unless a call failed.
void log_error(int level, int os_errno, const char *fmt, ...) MH_PRINTF(3, 4);

// ---- directives.cpp ----
extern const mh_command commands[];
void *create_server_config(mh_pool *pool);
int check_config(mh_server *s);
const Settings &settings_of(const mh_server *s);

// ---- master state (generations.cpp owns it) ----
struct ChildRecord {
    pid_t pid = 0;             // 0: the slot is free
    int generation = 0;
    bool asked_to_leave = false;  // SIGUSR1 sent: finishing its connection
    int64_t terminated_ms = 0;    // when SIGTERM was sent (monotonic), 0: not sent
    bool killed = false;          // SIGKILL sent: its death is no news
};

enum class Stopping { No, Gracefully, Now };

struct Master {
    Settings cfg;                // of the generation being served
    const mh_server *server = nullptr;
    int generation = 0;
    std::vector<ChildRecord> slots;           // by scoreboard process slot
    std::unordered_map<pid_t, int> slot_of;   // live children only
    int spawn_rate = 1;          // children forked per tick while short: 1..32
    int hold_off = 0;            // ticks without doubling after a graceful restart
    int remaining_to_start = 0;  // StartServers not yet forked after a restart
    Stopping stopping = Stopping::No;

    // Saturation episodes (the pool at MaxRequestWorkers, no idle child).
    bool saturated = false;
    uint64_t episodes = 0;
    int64_t last_report_ms = 0;  // 0: never reported
    int unreported = 0;

    // The front: its queue and shared counters live as long as this MPM
    // runs; a process per generation (an old one hands over what it holds,
    // then leaves).
    int queue[2] = {-1, -1};     // [0] the front sends, [1] children receive
    FrontShared *shared = nullptr;
    pid_t front_pid = 0;         // the current generation's front, while the pool is busy
    std::vector<pid_t> old_fronts;  // earlier generations', still handing over

    bool handles_open = false;
    int handles_closing = 0;
    uv_timer_t tick{};           // idle-server maintenance, once a second
    uv_timer_t escalate{};       // SIGKILL for children that ignore SIGTERM
    uv_timer_t queue_watch{};    // children for what waits in the front's queue
    uv_signal_t sigchld{};
};
Master &master();

int64_t monotonic_ms();

// ---- generations.cpp ----
int start(mh_server *s, int kind);
void stop(mh_server *s, int how);
// Called by the reaper once no child is left while stopping.
void finish_stop_if_done();

// ---- pool.cpp ----
// Forks a child into a free slot. 0, or -1 when fork failed.
int make_child(int slot);
// Forks up to n children into free slots below MaxRequestWorkers; returns how many.
int start_children(int n);
void idle_maintenance();
// Signals one live child and remembers it.
void ask_to_leave(int slot);  // SIGUSR1: finish the connection, then exit
void terminate(int slot);     // SIGTERM: exit now

// ---- reaper.cpp ----
void reap_children();

// ---- front_control.cpp (master side) ----
// A new generation: the old front hands over and leaves; with PreforkFront
// On the queue and shared counters exist (once per run of the MPM) before
// any child is forked.
void front_generation();
// Stops every front: now (SIGTERM), or once it handed over what it holds.
void front_stop(bool now);
// Reaps exited fronts (the tick starts another for a current one that died).
void front_reap();
// [queue_watch, every 100 ms] Starts the front when every child is busy,
// and forks children for heads that wait in the queue.
void front_watch();
// Once the MPM stopped: closes the queue and frees the shared counters.
void front_close();
bool is_idle_child(int slot);

// ---- front.cpp (the front process) ----
[[noreturn]] void front_main(pid_t master_pid);

// ---- listen_wait.cpp (child side) ----
class ListenWait {
public:
    // Watches every listener, and the front's queue when there is one. 0,
    // or -1 with errno.
    int open();
    enum class Got { Connection, Nothing, Broken };
    // A connection: accepted, or handed over by the front (then
    // head_started_ms is when its head began, else 0).
    struct Accepted {
        int fd = -1;
        int listener = 0;
        sockaddr_storage peer;
        socklen_t peer_len = 0;
        int64_t head_started_ms = 0;
    };
    // Waits for a connection, with `wait_mask` as the signal mask meanwhile.
    // While the front is active only its queue is watched. Nothing:
    // interrupted, or another child took it. Broken: this child should leave
    // (logged).
    Got next(const sigset_t &wait_mask, Accepted &out);
    // What the front's queue holds, without waiting: a graceful child takes
    // it before it leaves. False when it is empty.
    bool take_queued(Accepted &out);

private:
    bool receive(Accepted &out);

    int epfd_ = -1;        // listeners and queue
    int queue_epfd_ = -1;  // the queue alone (the front is active)
};

// ---- child.cpp ----
// `master_pid`: the parent, whose death ends the child.
[[noreturn]] void child_main(int slot, int generation, const Settings &cfg, pid_t master_pid);

}  // namespace prefork
