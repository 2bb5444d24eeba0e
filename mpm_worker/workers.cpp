#include "workers.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <system_error>

#include "worker.h"

namespace worker {

Workers::Workers(WorkQueue &queue, int process, int count, pthread_t main)
    : queue_(queue), main_(main)
{
    for (int i = 0; i < count; ++i) {
        auto w = std::make_unique<Worker>();
        w->slot = svc()->slot(process, i);
        workers_.push_back(std::move(w));
    }
}

bool Workers::start()
{
    for (auto &w : workers_) {
        live_.fetch_add(1);
        try {
            w->thread = std::thread([this, &w = *w] { run(w); });
        } catch (const std::system_error &e) {
            live_.fetch_sub(1);
            log_error(MH_LOG_ALERT, e.code().value(), "AH00282: unable to create worker thread");
            return false;
        }
    }
    return true;
}

void Workers::run(Worker &w)
{
    pthread_setname_np(pthread_self(), "mh-worker");
    Accepted a;
    for (;;) {
        svc()->slot_set_state(w.slot, MH_WORKER_READY);
        if (!queue_.pop(a)) break;
        serve(w, a);
    }
    svc()->slot_set_state(w.slot, MH_WORKER_GRACEFUL);
    w.done = true;
    if (live_.fetch_sub(1) == 1) pthread_kill(main_, SIGUSR1);
}

void Workers::serve(Worker &w, const Accepted &a)
{
    int shadow = fcntl(a.fd, F_DUPFD_CLOEXEC, 0);  // -1 (EMFILE): it just cannot be cut short
    {
        std::lock_guard lock(w.mutex);
        w.conn = shadow;
        __atomic_store_n(&w.stopping, 0, __ATOMIC_RELAXED);
    }
    mh_conn_info info{};
    info.struct_size = sizeof info;
    info.fd = a.fd;
    info.peer = reinterpret_cast<const sockaddr *>(&a.peer);
    info.peer_len = a.peer_len;
    info.listener = a.listener;
    info.slot = w.slot;
    info.stopping = &w.stopping;
    svc()->serve_connection(&info);  // closes a.fd
    {
        std::lock_guard lock(w.mutex);
        w.conn = -1;
    }
    if (shadow >= 0) close(shadow);
}

void Workers::wind_down()
{
    for (auto &wp : workers_) {
        Worker &w = *wp;
        std::lock_guard lock(w.mutex);
        if (w.conn < 0) continue;
        int state = svc()->slot_state(w.slot);
        // The core drops a connection flagged before it read its first
        // request, so while reading (R: a head, or a body) it is left alone
        // and the next round looks again. Any other state comes after a head.
        if (state != MH_WORKER_READY && state != MH_WORKER_READ) __atomic_store_n(&w.stopping, 1, __ATOMIC_RELAXED);
        if (state == MH_WORKER_KEEPALIVE) shutdown(w.conn, SHUT_RD);
    }
}

void Workers::cut_all()
{
    for (auto &wp : workers_) {
        Worker &w = *wp;
        std::lock_guard lock(w.mutex);
        if (w.conn < 0) continue;
        __atomic_store_n(&w.stopping, 1, __ATOMIC_RELAXED);
        shutdown(w.conn, SHUT_RDWR);
    }
}

void Workers::join()
{
    for (auto &w : workers_)
        if (w->thread.joinable()) w->thread.join();
}

void Workers::abandon()
{
    for (auto &w : workers_) {
        if (!w->thread.joinable()) continue;
        if (w->done.load()) w->thread.join();
        else w->thread.detach();
    }
}

}  // namespace worker
