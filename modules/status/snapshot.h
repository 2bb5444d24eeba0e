// One consistent-enough copy of the scoreboard and the figures derived from
// it, taken once per request and then written out by one of the reports
// (?auto, HTML, JSON). Slots are copied one at a time without a lock, as
// Apache does: a worker may change state while we read.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <modhttpd/modhttpd.h>

#include "cpu_times.h"

namespace mh_status {

// One worker slot worth showing in the per-worker details.
struct WorkerRow {
    int process = 0, thread = 0;
    int pid = 0;         // the worker's, else its process's; 0 = none
    int generation = 0;
    char letter = '.';
    mh_status_worker w{};
};

struct ProcessRow {
    int slot = 0;
    mh_status_process p{};
};

struct Snapshot {
    mh_status_global global{};
    std::string server_name;
    std::string server_version;
    std::string server_built;
    int64_t now_us = 0;
    uint32_t uptime = 0;            // seconds since the last (hard) restart
    double load[3] = {0, 0, 0};     // getloadavg; -1 where unavailable

    // One letter per slot shown (Apache's rules), row-major.
    std::string scoreboard;
    int busy = 0, graceful = 0, idle = 0;

    bool extended = false;          // ExtendedStatus: the figures below are filled
    uint64_t accesses = 0;
    uint64_t bytes = 0;
    uint64_t kbytes = 0;            // bytes / 1024, rounded down
    uint64_t duration_ms = 0;       // time spent serving, all slots
    CpuTimes cpu;
    std::vector<WorkerRow> rows;    // slots that served or are busy

    std::vector<ProcessRow> processes;  // process slots with a live pid
    // An async MPM's (event) connections, summed over the live processes.
    int stopping = 0;               // processes finishing their connections
    int conns_total = 0, conns_writing = 0, conns_keepalive = 0, conns_closing = 0;
    // Without ExtendedStatus: (pid, letter) of each slot in use (PID key).
    std::vector<std::pair<int, char>> pid_key;
};

// [worker] Takes the snapshot for request `r`; false when there is no
// scoreboard (should not happen once the MPM runs).
bool take_snapshot(const mh_request *r, bool extended, Snapshot &out);

// "ready", "write", ... for a scoreboard letter.
const char *state_name(char letter);

}  // namespace mh_status
