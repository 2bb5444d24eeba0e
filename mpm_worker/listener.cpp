#include "listener.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "worker.h"

namespace worker {
namespace {

constexpr uint32_t kWake = UINT32_MAX;  // epoll data of the eventfd

}  // namespace

Listener::Listener(WorkQueue &queue, std::vector<int> fds, int max_connections, pthread_t main)
    : queue_(queue), fds_(std::move(fds)), max_connections_(max_connections), main_(main)
{
}

Listener::~Listener() { stop(); }

int Listener::open()
{
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_ < 0 || wake_ < 0) {
        log_error(MH_LOG_CRIT, errno, "cannot create the listener's epoll");
        return -1;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = kWake;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    for (size_t i = 0; i < fds_.size(); ++i) {
        ev.events = EPOLLIN | EPOLLEXCLUSIVE;
        ev.data.u32 = uint32_t(i);
        if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fds_[i], &ev) == 0) continue;
        ev.events = EPOLLIN;  // a kernel before 4.5: correct, with a thundering herd
        if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fds_[i], &ev) != 0) {
            log_error(MH_LOG_CRIT, errno, "cannot watch listening socket %d", fds_[i]);
            return -1;
        }
    }
    return 0;
}

bool Listener::start()
{
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error &e) {
        log_error(MH_LOG_ALERT, e.code().value(), "AH00275: unable to create listener thread");
        return false;
    }
    return true;
}

void Listener::run()
{
    pthread_setname_np(pthread_self(), "mh-listener");
    bool leave = false;
    while (!leave && queue_.wait_for_idle_worker()) {
        epoll_event events[16];
        int n = epoll_wait(epoll_, events, 16, -1);
        if (n < 0 && errno != EINTR) {
            log_error(MH_LOG_ERR, errno, "epoll_wait on the listeners failed");
            sick_ = true;
            break;
        }
        // Every listener reported gets its accept, even when leaving: with
        // EPOLLEXCLUSIVE this wake-up may have been for this process alone.
        for (int i = 0; i < n; ++i) {
            if (events[i].data.u32 == kWake) leave = true;
            else if (!accept_one(int(events[i].data.u32))) leave = true;
        }
        leave |= stop_.load();
    }
    if (!stop_.load()) pthread_kill(main_, SIGUSR1);  // left on its own: the process retires
}

bool Listener::accept_one(int i)
{
    Accepted a;
    a.peer_len = sizeof a.peer;
    int fd = accept4(fds_[size_t(i)], reinterpret_cast<sockaddr *>(&a.peer), &a.peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (passing_accept_error(errno)) return true;
        // EMFILE, ENOBUFS...: this process is short of something; Apache's
        // listener then retires its process, which the master replaces.
        log_error(MH_LOG_ERR, errno, "accept failed: this process stops accepting and will be replaced");
        sick_ = true;
        return false;
    }
    a.fd = fd;
    a.listener = i;
    queue_.push(a);
    return max_connections_ == 0 || ++accepted_ < max_connections_;
}

void Listener::stop()
{
    if (closed_) return;
    closed_ = true;
    stop_ = true;
    queue_.stop_listener();
    if (wake_ >= 0) {
        uint64_t one = 1;
        ssize_t n = write(wake_, &one, sizeof one);
        (void)n;  // the counter cannot overflow with one write
    }
    if (thread_.joinable()) thread_.join();
    if (epoll_ >= 0) close(epoll_);
    if (wake_ >= 0) close(wake_);
    for (int fd : fds_) close(fd);  // our copies: a port the master closes is freed when we are gone
    epoll_ = wake_ = -1;
}

}  // namespace worker
