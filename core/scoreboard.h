// The scoreboard: shared memory where every worker records what it is doing
// and what it has served, read by the MPM (to count idle workers) and by
// mod_status. Created once, before the first fork, with room for
// ServerLimit x ThreadLimit workers and at least for any in-tree MPM at its
// defaults (so that a graceful restart can change the MPM: see open()); it
// outlives restarts (a hard restart zeroes the counters, a graceful one
// keeps them, as Apache does). A slot whose memory is still zero is dead:
// rows never used are never touched, and cost no memory.
//
// Each worker slot has one writer (its worker) and any number of readers;
// numbers are relaxed atomics, and so are the words of its strings: a reader
// may see a request line half updated (as in Apache), but never a torn word,
// and nothing here is a data race.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "modhttpd/api.h"

struct mh_slot {
    std::atomic<int> state;
    std::atomic<int> pid;
    std::atomic<int> generation;
    std::atomic<uint64_t> access_count, bytes_served;
    std::atomic<uint64_t> my_access_count, my_bytes_served;
    std::atomic<uint64_t> conn_count, conn_bytes;
    std::atomic<uint64_t> duration_us;
    std::atomic<int64_t> last_used_us, request_time_us;
    // Text written and read a word at a time with relaxed atomics (see
    // scoreboard.cpp): sizes are multiples of 8.
    alignas(8) char client[48];
    alignas(8) char request[128];
    alignas(8) char vhost[64];
    alignas(8) char protocol[16];
};

namespace mh::scoreboard {

struct Global {
    int server_limit, thread_limit;
    std::atomic<int> max_processes, threads_per_child, max_request_workers;
    std::atomic<int> mpm_generation, config_generation;
    std::atomic<int64_t> start_time_us, restart_time_us;
    std::atomic<uint64_t> saturation_episodes;
    // Rows and slots per row any MPM has described so far: nothing past
    // them was ever written.
    std::atomic<int> used_processes, used_threads;
    char mpm_name[16];
    int threaded;
    int async;
};

struct Process {
    std::atomic<int> pid, generation, quiescing;
    // An event MPM's connections (mod_status's async table).
    std::atomic<int> conns_total, conns_writing, conns_keepalive, conns_closing;
    // The MPM that started the process, and its threads: during an MPM
    // change, rows of two MPMs share the scoreboard.
    char mpm_name[16];
    std::atomic<int> threads;
};

// The least room open() makes: prefork's default ServerLimit, and the
// default ThreadLimit of worker and event plus event's loop slot.
constexpr int kRoomProcesses = 256;
constexpr int kRoomThreads = 64 + 1;

// 0, or -1 with errno. Later calls keep the first size.
int open(int server_limit, int thread_limit);
// Records an MPM's shape (mod_status shows it; reset and readers stop at
// the largest one seen).
void describe(int max_processes, int threads_per_child, int max_request_workers, const char *mpm_name,
              int threaded, int async);
// Fills process row p; a new pid there is recorded as `mpm_name`'s with the
// current shape's threads.
void set_process(int p, int pid, int generation, int quiescing, const char *mpm_name);
bool is_open();
Global *global();
Process *process(int p);               // nullptr when out of range
mh_slot *worker(int p, int t);         // nullptr when out of range
// Hard restart: every counter back to zero, every slot dead.
void reset();

// Worker-side updates (hot path, no locks).
void request_started(mh_slot *slot, std::string_view request_line, std::string_view client,
                     std::string_view vhost, std::string_view protocol, int64_t now_us);
void request_finished(mh_slot *slot, uint64_t bytes, int64_t now_us);

// Copies for readers (mod_status through the API).
int read_global(mh_status_global *out);
int read_process(int p, mh_status_process *out);
int read_worker(int p, int t, mh_status_worker *out);

int64_t now_us();

}  // namespace mh::scoreboard
