// Services for the MPM: the master's loop, listeners, scoreboard, the child
// life cycle and the connection processor.
#include <cstdarg>
#include <cstdio>
#include <cstddef>
#include <cstring>
#include <string_view>

#include "api/api_parts.h"
#include "connection/connection.h"
#include "listeners.h"
#include "logging.h"
#include "master/child.h"
#include "master/runtime.h"
#include "scoreboard.h"
#include "server.h"

namespace mh::api_parts {
namespace {

uv_loop_s *loop() { return runtime::loop(); }
int listener_count() { return static_cast<int>(listeners().all().size()); }

int listener_fd(int i)
{
    const auto &all = listeners().all();
    return i >= 0 && size_t(i) < all.size() ? all[size_t(i)].fd : -1;
}

const char *listener_name(int i)
{
    const auto &all = listeners().all();
    return i >= 0 && size_t(i) < all.size() ? all[size_t(i)].name.c_str() : "";
}

int generation() { return runtime::generation(); }
void stopped(const mh_module *mpm) { runtime::mpm_stopped(mpm); }

void config_warning(const mh_server *, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    // Apache's console form puts the number first: "AH00497: WARNING: ...".
    bool numbered = strncmp(msg, "AH", 2) == 0 && strlen(msg) > 9 && msg[7] == ':' && msg[8] == ' ';
    if (runtime::warnings_to_console() && numbered) fprintf(stderr, "%.7s: WARNING: %s\n", msg, msg + 9);
    else if (runtime::warnings_to_console()) fprintf(stderr, "WARNING: %s\n", msg);
    else log::server_error("core", MH_LOG_WARNING, 0, "%s", msg);
}

int scoreboard_open(int server_limit, int thread_limit) { return scoreboard::open(server_limit, thread_limit); }

void scoreboard_limits(int *server_limit, int *thread_limit)
{
    scoreboard::Global *g = scoreboard::global();
    if (server_limit) *server_limit = g ? g->server_limit : 0;
    if (thread_limit) *thread_limit = g ? g->thread_limit : 0;
}

void scoreboard_describe(int max_processes, int threads_per_child, int max_request_workers)
{
    mh_server *s = runtime::current();
    const mh_mpm *mpm = s && s->mpm ? s->mpm->desc->mpm : nullptr;
    scoreboard::describe(max_processes, threads_per_child, max_request_workers, mpm ? mpm->name : nullptr,
                         mpm ? mpm->threaded : 0, mpm ? mpm->async : 0);
}

void scoreboard_saturated()
{
    if (scoreboard::Global *g = scoreboard::global()) g->saturation_episodes.fetch_add(1);
}

mh_slot *slot(int p, int t) { return scoreboard::worker(p, t); }
int slot_state(const mh_slot *s)
{
    int state = s ? s->state.load(std::memory_order_relaxed) : 0;
    return state ? state : MH_WORKER_DEAD;  // a slot never written is dead
}

void slot_set_state(mh_slot *s, int state)
{
    if (!s) return;
    int old = s->state.exchange(state, std::memory_order_relaxed);
    // A new process (or thread) took the slot: its own counters start at
    // zero, the slot's go on (Apache's update_child_status, STARTING -> READY).
    if (state == MH_WORKER_READY && (old == MH_WORKER_STARTING || old == MH_WORKER_DEAD)) {
        s->my_access_count.store(0, std::memory_order_relaxed);
        s->my_bytes_served.store(0, std::memory_order_relaxed);
    }
}

void slot_set_owner(mh_slot *s, int pid, int generation)
{
    if (!s) return;
    s->pid.store(pid, std::memory_order_relaxed);
    s->generation.store(generation, std::memory_order_relaxed);
    s->my_access_count.store(0, std::memory_order_relaxed);
    s->my_bytes_served.store(0, std::memory_order_relaxed);
}

void process_set(int p, int pid, int gen, int quiescing)
{
    mh_server *s = runtime::current();
    scoreboard::set_process(p, pid, gen, quiescing, s && s->mpm ? s->mpm->desc->mpm->name : nullptr);
}

int process_pid(int p)
{
    scoreboard::Process *proc = scoreboard::process(p);
    return proc ? proc->pid.load() : 0;
}

int process_generation(int p)
{
    scoreboard::Process *proc = scoreboard::process(p);
    return proc ? proc->generation.load() : 0;
}

// What came with the connection, read already (1.2 fields).
std::string_view initial_bytes(const mh_conn_info &info)
{
    if (info.struct_size < offsetof(mh_conn_info, initial_len) + sizeof info.initial_len || info.initial == nullptr)
        return {};
    return {info.initial, info.initial_len};
}

// When the head began to arrive, if a front end waited for it (1.2).
int64_t head_started(const mh_conn_info &info)
{
    if (info.struct_size < offsetof(mh_conn_info, head_started_ms) + sizeof info.head_started_ms) return 0;
    return info.head_started_ms;
}

void serve_connection(const mh_conn_info *info)
{
    mh_server *s = runtime::current();
    if (info == nullptr || s == nullptr) return;
    Connection c(*info, *s, initial_bytes(*info), head_started(*info));
    c.serve();
}

Connection *of(mh_conn *c) { return reinterpret_cast<Connection *>(c); }
const Connection *of(const mh_conn *c) { return reinterpret_cast<const Connection *>(c); }

mh_conn *conn_open(const mh_conn_info *info)
{
    mh_server *s = runtime::current();
    if (info == nullptr || s == nullptr) return nullptr;
    return reinterpret_cast<mh_conn *>(new Connection(*info, *s, initial_bytes(*info), head_started(*info)));
}

int conn_step(mh_conn *c, int64_t *deadline)
{
    Connection::Want w = of(c)->step();
    if (deadline) *deadline = of(c)->deadline_ms() == INT64_MAX ? -1 : of(c)->deadline_ms();
    switch (w) {
    case Connection::Want::Read: return MH_CONN_READ;
    case Connection::Want::Write: return MH_CONN_WRITE;
    case Connection::Want::Worker: return MH_CONN_WORKER;
    case Connection::Want::Done: break;
    }
    return MH_CONN_DONE;
}

void conn_run(mh_conn *c) { of(c)->run_blocking_part(); }
void conn_set_slot(mh_conn *c, mh_slot *slot) { of(c)->set_slot(slot); }
int conn_phase(const mh_conn *c) { return static_cast<int>(of(c)->phase()); }
int conn_fd(const mh_conn *c) { return of(c)->fd(); }
void conn_close(mh_conn *c) { delete of(c); }
int64_t now_ms() { return monotonic_ms(); }

// A connection that opens with a TLS handshake record (a ClientHello, for a
// module's transport): complete once the whole record is there, so that a
// front end that waits for heads waits for it too, and hands it over unread.
int tls_record_scan(const unsigned char *data, size_t len)
{
    if (len >= 2 && data[1] != 0x03) return 1;  // not TLS after all: let the child judge it
    if (len < 5) return 0;
    size_t record = size_t(data[3]) << 8 | data[4];
    return len >= 5 + record ? 1 : 0;
}

int head_scan(const mh_server *s, const char *data, size_t len)
{
    if (s && data && len > 0 && static_cast<unsigned char>(data[0]) == 0x16)
        return tls_record_scan(reinterpret_cast<const unsigned char *>(data), len);
    return s && data ? http::scan_head(std::string_view(data, len), s->core.limits) : 400;
}

int64_t head_deadline(const mh_server *s, int64_t started_ms, int64_t last_ms, size_t received)
{
    return s ? Connection::head_deadline(*s, started_ms, last_ms, received) : started_ms;
}

void process_set_conns(int p, int total, int writing, int keepalive, int closing)
{
    if (scoreboard::Process *proc = scoreboard::process(p)) {
        proc->conns_total.store(total, std::memory_order_relaxed);
        proc->conns_writing.store(writing, std::memory_order_relaxed);
        proc->conns_keepalive.store(keepalive, std::memory_order_relaxed);
        proc->conns_closing.store(closing, std::memory_order_relaxed);
    }
}

}  // namespace

void fill_mpm(mh_mpm_services &m)
{
    m.loop = loop;
    m.listener_count = listener_count;
    m.listener_fd = listener_fd;
    m.listener_name = listener_name;
    m.generation = generation;
    m.stopped = stopped;
    m.config_warning = config_warning;
    m.scoreboard_open = scoreboard_open;
    m.scoreboard_limits = scoreboard_limits;
    m.scoreboard_describe = scoreboard_describe;
    m.scoreboard_saturated = scoreboard_saturated;
    m.slot = slot;
    m.slot_state = slot_state;
    m.slot_set_state = slot_set_state;
    m.process_set = process_set;
    m.process_pid = process_pid;
    m.process_generation = process_generation;
    m.child_after_fork = child::after_fork;
    m.drop_privileges = child::drop_privileges;
    m.run_child_init = child::run_init;
    m.run_child_exit = child::run_exit;
    m.serve_connection = serve_connection;
    m.head_scan = head_scan;
    m.head_deadline = head_deadline;
    m.slot_set_owner = slot_set_owner;
    m.conn_open = conn_open;
    m.conn_step = conn_step;
    m.conn_run = conn_run;
    m.conn_set_slot = conn_set_slot;
    m.conn_phase = conn_phase;
    m.conn_fd = conn_fd;
    m.conn_close = conn_close;
    m.now_ms = now_ms;
    m.process_set_conns = process_set_conns;
}

}  // namespace mh::api_parts
