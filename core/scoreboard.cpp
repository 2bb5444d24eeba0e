#include "scoreboard.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>

namespace mh::scoreboard {
namespace {

Global *g_global = nullptr;
Process *g_processes = nullptr;
mh_slot *g_workers = nullptr;

// Strings cross processes and threads word by word, each word a relaxed
// atomic: readers may mix old and new words (as in Apache), with no data race.
constexpr bool word_text(size_t n) { return n % 8 == 0 && n <= 128; }
static_assert(word_text(sizeof(mh_slot::client)) && word_text(sizeof(mh_slot::request)) &&
              word_text(sizeof(mh_slot::vhost)) && word_text(sizeof(mh_slot::protocol)));

void copy_text(char *dst, size_t cap, std::string_view src)
{
    char buf[128] = {};
    size_t n = std::min(src.size(), cap - 1);
    memcpy(buf, src.data(), n);
    auto *words = reinterpret_cast<uint64_t *>(dst);
    for (size_t i = 0; i < cap / 8; ++i) {
        uint64_t w;
        memcpy(&w, buf + i * 8, 8);
        __atomic_store_n(&words[i], w, __ATOMIC_RELAXED);
    }
}

void read_text(char *dst, size_t cap, const char *src, size_t src_cap)
{
    char buf[128];
    const auto *words = reinterpret_cast<const uint64_t *>(src);
    for (size_t i = 0; i < src_cap / 8; ++i) {
        uint64_t w = __atomic_load_n(&words[i], __ATOMIC_RELAXED);
        memcpy(buf + i * 8, &w, 8);
    }
    size_t n = std::min(cap, src_cap);
    memcpy(dst, buf, n);
    dst[n - 1] = '\0';
}

template <typename T>
void fill(T *out, const T &full)
{
    // The caller's struct may be older (smaller) than ours.
    uint32_t size = std::min<uint32_t>(out->struct_size, sizeof(T));
    memcpy(reinterpret_cast<char *>(out) + sizeof(uint32_t),
           reinterpret_cast<const char *>(&full) + sizeof(uint32_t), size - sizeof(uint32_t));
}

}  // namespace

int64_t now_us()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int open(int server_limit, int thread_limit)
{
    if (g_global) return 0;
    if (server_limit < 1 || thread_limit < 1) return errno = EINVAL, -1;
    // Room for a graceful restart to another MPM at its defaults. Only the
    // slots used are touched: the rest costs address space, not memory.
    server_limit = std::max(server_limit, kRoomProcesses);
    thread_limit = std::max(thread_limit, kRoomThreads);
    size_t bytes = sizeof(Global) + sizeof(Process) * server_limit +
                   sizeof(mh_slot) * size_t(server_limit) * thread_limit;
    void *mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return -1;
    char *p = static_cast<char *>(mem);  // zero-filled by the kernel
    g_global = new (p) Global();
    g_global->server_limit = server_limit;
    g_global->thread_limit = thread_limit;
    g_global->start_time_us = g_global->restart_time_us = now_us();
    // The first configuration, already while the MPM starts its children.
    g_global->config_generation = 1;
    g_processes = reinterpret_cast<Process *>(p + sizeof(Global));
    for (int i = 0; i < server_limit; ++i) new (&g_processes[i]) Process();
    // Worker slots are left as the kernel zero-filled them: all-zero is a
    // valid slot (every atomic 0), and state 0 reads as dead (slot_state).
    g_workers = reinterpret_cast<mh_slot *>(p + sizeof(Global) + sizeof(Process) * server_limit);
    return 0;
}

void describe(int max_processes, int threads_per_child, int max_request_workers, const char *mpm_name,
              int threaded, int async)
{
    if (!g_global) return;
    g_global->max_processes = max_processes;
    g_global->threads_per_child = threads_per_child;
    g_global->max_request_workers = max_request_workers;
    if (max_processes > g_global->used_processes)
        g_global->used_processes = std::min(max_processes, g_global->server_limit);
    if (threads_per_child > g_global->used_threads)
        g_global->used_threads = std::min(threads_per_child, g_global->thread_limit);
    if (mpm_name) snprintf(g_global->mpm_name, sizeof g_global->mpm_name, "%s", mpm_name);
    g_global->threaded = threaded;
    g_global->async = async;
}

void set_process(int p, int pid, int gen, int quiescing, const char *mpm_name)
{
    Process *proc = process(p);
    if (!proc) return;
    if (proc->pid != pid) {  // another process: its connection counts start afresh
        proc->conns_total = proc->conns_writing = proc->conns_keepalive = proc->conns_closing = 0;
        if (pid != 0) {
            snprintf(proc->mpm_name, sizeof proc->mpm_name, "%s", mpm_name ? mpm_name : g_global->mpm_name);
            proc->threads = g_global->threads_per_child.load();
        }
    }
    // A row past the largest shape (an MPM with fewer processes than the
    // one before it) is still one readers must look at.
    if (pid != 0 && p >= g_global->used_processes) g_global->used_processes = p + 1;
    proc->pid = pid;
    proc->generation = gen;
    proc->quiescing = quiescing;
}

bool is_open() { return g_global != nullptr; }
Global *global() { return g_global; }

Process *process(int p)
{
    if (!g_global || p < 0 || p >= g_global->server_limit) return nullptr;
    return &g_processes[p];
}

mh_slot *worker(int p, int t)
{
    if (!g_global || p < 0 || p >= g_global->server_limit || t < 0 || t >= g_global->thread_limit)
        return nullptr;
    return &g_workers[size_t(p) * g_global->thread_limit + t];
}

void reset()
{
    if (!g_global) return;
    for (int p = 0; p < g_global->used_processes; ++p) {
        for (int t = 0; t < g_global->used_threads; ++t) {
            mh_slot &w = *worker(p, t);
            int state = w.state;
            // Slots of live processes keep their state; the counters start over.
            w.~mh_slot();
            new (&w) mh_slot();
            w.state = state;
        }
    }
    g_global->restart_time_us = now_us();
}

void request_started(mh_slot *slot, std::string_view request_line, std::string_view client,
                     std::string_view vhost, std::string_view protocol, int64_t now)
{
    copy_text(slot->request, sizeof slot->request, request_line);
    copy_text(slot->client, sizeof slot->client, client);
    copy_text(slot->vhost, sizeof slot->vhost, vhost);
    copy_text(slot->protocol, sizeof slot->protocol, protocol);
    slot->last_used_us.store(now, std::memory_order_relaxed);
    // The head is read: the request is being served ('W' until the log
    // phase, 'R' again only while the handler reads a body), as Apache.
    slot->state.store(MH_WORKER_WRITE, std::memory_order_relaxed);
}

void request_finished(mh_slot *slot, uint64_t bytes, int64_t now)
{
    auto add = [](std::atomic<uint64_t> &a, uint64_t v) {
        // One writer per slot: a plain read-modify-write is enough.
        a.store(a.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
    };
    int64_t took = now - slot->last_used_us.load(std::memory_order_relaxed);
    if (took < 0) took = 0;
    add(slot->access_count, 1);
    add(slot->my_access_count, 1);
    add(slot->conn_count, 1);
    add(slot->bytes_served, bytes);
    add(slot->my_bytes_served, bytes);
    add(slot->conn_bytes, bytes);
    add(slot->duration_us, static_cast<uint64_t>(took));
    slot->request_time_us.store(took, std::memory_order_relaxed);
}

int read_global(mh_status_global *out)
{
    if (!g_global) return -1;
    mh_status_global full{};
    full.struct_size = sizeof full;
    full.mpm_name = g_global->mpm_name;
    full.threaded = g_global->threaded;
    full.async = g_global->async;
    full.server_limit = g_global->server_limit;
    full.thread_limit = g_global->thread_limit;
    full.max_processes = g_global->max_processes;
    full.threads_per_child = g_global->threads_per_child;
    full.max_request_workers = g_global->max_request_workers;
    full.mpm_generation = g_global->mpm_generation;
    full.config_generation = g_global->config_generation;
    full.start_time_us = g_global->start_time_us;
    full.restart_time_us = g_global->restart_time_us;
    full.max_workers_episodes = g_global->saturation_episodes;
    full.used_processes = g_global->used_processes;
    full.used_threads = g_global->used_threads;
    fill(out, full);
    return 0;
}

int read_process(int p, mh_status_process *out)
{
    Process *proc = process(p);
    if (!proc) return -1;
    mh_status_process full{};
    full.struct_size = sizeof full;
    full.pid = proc->pid;
    full.generation = proc->generation;
    full.quiescing = proc->quiescing;
    full.conns_total = proc->conns_total;
    full.conns_writing = proc->conns_writing;
    full.conns_keepalive = proc->conns_keepalive;
    full.conns_closing = proc->conns_closing;
    memcpy(full.mpm_name, proc->mpm_name, sizeof full.mpm_name);
    full.mpm_name[sizeof full.mpm_name - 1] = '\0';
    full.threads = proc->threads;
    fill(out, full);
    return 0;
}

int read_worker(int p, int t, mh_status_worker *out)
{
    mh_slot *w = worker(p, t);
    if (!w) return -1;
    mh_status_worker full{};
    full.struct_size = sizeof full;
    full.state = w->state ? w->state.load() : MH_WORKER_DEAD;
    full.pid = w->pid;
    full.generation = w->generation;
    full.access_count = w->access_count;
    full.bytes_served = w->bytes_served;
    full.my_access_count = w->my_access_count;
    full.my_bytes_served = w->my_bytes_served;
    full.conn_count = w->conn_count;
    full.conn_bytes = w->conn_bytes;
    full.duration_us = w->duration_us;
    full.last_used_us = w->last_used_us;
    full.request_time_us = w->request_time_us;
    read_text(full.client, sizeof full.client, w->client, sizeof w->client);
    read_text(full.request, sizeof full.request, w->request, sizeof w->request);
    read_text(full.vhost, sizeof full.vhost, w->vhost, sizeof w->vhost);
    read_text(full.protocol, sizeof full.protocol, w->protocol, sizeof w->protocol);
    fill(out, full);
    return 0;
}

}  // namespace mh::scoreboard
