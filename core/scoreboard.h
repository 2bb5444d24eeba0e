// The scoreboard: shared memory where every worker records what it is doing
// and what it has served, read by the MPM (to count idle workers) and by
// mod_status. Created once, before the first fork, with room for
// ServerLimit x ThreadLimit workers; it outlives restarts (a hard restart
// zeroes the counters, a graceful one keeps them, as Apache does).
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
    char mpm_name[16];
    int threaded;
    int async;
};

struct Process {
    std::atomic<int> pid, generation, quiescing;
    // An event MPM's connections (mod_status's async table).
    std::atomic<int> conns_total, conns_writing, conns_keepalive, conns_closing;
};

// 0, or -1 with errno. Later calls keep the first size.
int open(int server_limit, int thread_limit);
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
