#include "master/single_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "api/api.h"
#include "listeners.h"
#include "logging.h"
#include "scoreboard.h"

namespace mh::master {
namespace {
volatile sig_atomic_t g_stop = 0;
volatile int g_stopping = 0;
void on_stop(int) { g_stop = 1; g_stopping = 1; }
}  // namespace

int serve_in_this_process(mh_server &)
{
    struct sigaction sa {};
    sa.sa_handler = on_stop;  // no SA_RESTART: poll and accept return EINTR
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    if (scoreboard::open(1, 1) != 0) return 1;
    mh_slot *slot = scoreboard::worker(0, 0);
    const mh_mpm_services *svc = mpm_services();
    // One worker: the MPM's name and shape are still what mod_status shows.
    svc->scoreboard_describe(1, 1, 1);
    svc->process_set(0, getpid(), 0, 0);
    svc->slot_set_owner(slot, getpid(), 0);
    svc->run_child_init();

    std::vector<pollfd> fds;
    for (const Listener &l : listeners().all()) fds.push_back({l.fd, POLLIN, 0});
    while (!g_stop) {
        slot->state = MH_WORKER_READY;
        if (poll(fds.data(), fds.size(), -1) < 0) continue;
        for (size_t i = 0; i < fds.size() && !g_stop; ++i) {
            if (!(fds[i].revents & POLLIN)) continue;
            sockaddr_storage peer;
            socklen_t len = sizeof peer;
            int fd = accept4(fds[i].fd, reinterpret_cast<sockaddr *>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) continue;
            mh_conn_info c{};
            c.struct_size = sizeof c;
            c.fd = fd;
            c.peer = reinterpret_cast<sockaddr *>(&peer);
            c.peer_len = len;
            c.listener = static_cast<int>(i);
            c.slot = slot;
            c.stopping = &g_stopping;
            svc->serve_connection(&c);
        }
    }
    svc->run_child_exit();
    log::server_error("core", MH_LOG_NOTICE, 0, "AH00169: caught SIGTERM, shutting down");
    return 0;
}

}  // namespace mh::master
