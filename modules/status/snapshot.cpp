#include "snapshot.h"

#include <cstdlib>
#include <ctime>

#include "status_module.h"

namespace mh_status {
namespace {

int64_t now_us()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

char letter_of(int state)
{
    switch (state) {
    case MH_WORKER_DEAD: case MH_WORKER_STARTING: case MH_WORKER_READY:
    case MH_WORKER_READ: case MH_WORKER_WRITE: case MH_WORKER_KEEPALIVE:
    case MH_WORKER_LOG: case MH_WORKER_DNS: case MH_WORKER_CLOSING:
    case MH_WORKER_GRACEFUL: case MH_WORKER_IDLE_KILL:
        return static_cast<char>(state);
    default:
        return '?';
    }
}

}  // namespace

const char *state_name(char letter)
{
    switch (letter) {
    case '_': return "ready";
    case 'S': return "starting";
    case 'R': return "read";
    case 'W': return "write";
    case 'K': return "keepalive";
    case 'D': return "dns";
    case 'C': return "closing";
    case 'L': return "logging";
    case 'G': return "graceful";
    case 'I': return "idle_cleanup";
    case '.': return "open";
    default: return "unknown";
    }
}

bool take_snapshot(const mh_request *r, bool extended, Snapshot &s)
{
    const mh_api &a = api();
    s.global.struct_size = sizeof s.global;
    if (a.status_global(&s.global) != 0) return false;
    const mh_status_global &g = s.global;

    const char *name = a.server_name(a.request_server(r));
    s.server_name = name ? name : "";
    s.server_version = a.server_version ? a.server_version : "";
    // The server's build stamp came with ABI 1.1; an older server gets ours.
    s.server_built = MH_API_HAS(&a, server_built) && a.server_built ? a.server_built : __DATE__ " " __TIME__;
    s.now_us = now_us();
    int64_t up = (s.now_us - g.restart_time_us) / 1000000;
    s.uptime = static_cast<uint32_t>(up < 0 ? 0 : up);
    if (getloadavg(s.load, 3) != 3) s.load[0] = s.load[1] = s.load[2] = -1;
    s.extended = extended;

    // Slots past the configured size are left out while unused, as Apache's
    // SERVER_DISABLED; before the MPM described itself, show all of them.
    int shown_processes = g.max_processes > 0 ? g.max_processes : g.server_limit;
    int shown_threads = g.threads_per_child > 0 ? g.threads_per_child : g.thread_limit;
    uint64_t duration_us = 0;
    std::vector<int> pids;
    // Past the rows and slots used since start nothing was ever written.
    int rows = g.used_processes > 0 ? g.used_processes : g.server_limit;
    int columns = g.used_threads > 0 ? g.used_threads : g.thread_limit;
    s.scoreboard.reserve(size_t(rows) * size_t(columns));

    for (int i = 0; i < rows; ++i) {
        mh_status_process p{};
        p.struct_size = sizeof p;
        if (a.status_process(i, &p) != 0) continue;
        if (p.pid) {
            s.processes.push_back({i, p});
            pids.push_back(p.pid);
            s.stopping += p.quiescing != 0;
            s.conns_total += p.conns_total;
            s.conns_writing += p.conns_writing;
            s.conns_keepalive += p.conns_keepalive;
            s.conns_closing += p.conns_closing;
        }
        for (int j = 0; j < columns; ++j) {
            WorkerRow row;
            row.process = i;
            row.thread = j;
            row.w.struct_size = sizeof row.w;
            if (a.status_worker(i, j, &row.w) != 0) continue;
            const mh_status_worker &w = row.w;
            int state = w.state;
            row.letter = letter_of(state);
            if (!(state == MH_WORKER_DEAD && (i >= shown_processes || j >= shown_threads)))
                s.scoreboard += row.letter;

            if (!p.quiescing && p.pid) {
                if (state == MH_WORKER_READY) {
                    if (p.generation == g.mpm_generation) ++s.idle;
                } else if (state == MH_WORKER_GRACEFUL) {
                    ++s.graceful;
                } else if (state != MH_WORKER_DEAD && state != MH_WORKER_STARTING &&
                           state != MH_WORKER_IDLE_KILL) {
                    ++s.busy;
                }
            }
            if (!extended) {
                if (state != MH_WORKER_DEAD) s.pid_key.emplace_back(w.pid ? w.pid : p.pid, row.letter);
                continue;
            }
            s.accesses += w.access_count;
            s.bytes += w.bytes_served;
            duration_us += w.duration_us;
            if (w.access_count == 0 && (state == MH_WORKER_READY || state == MH_WORKER_DEAD)) continue;
            row.pid = w.pid ? w.pid : p.pid;
            row.generation = w.pid ? w.generation : p.generation;
            s.rows.push_back(row);
        }
    }
    s.kbytes = s.bytes / 1024;
    s.duration_ms = duration_us / 1000;
    if (extended) s.cpu = read_cpu_times(pids);
    return true;
}

}  // namespace mh_status
