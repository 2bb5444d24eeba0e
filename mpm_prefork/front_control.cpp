// The master's side of the front (PreforkFront): the hand-off queue and the
// counters the front, the children and the master share; the front process,
// started when every child is busy (it leaves by itself once the pool has
// been calm a while), one per generation; and children forked at once for
// heads that wait in the queue while no child is idle, rather than at
// maintenance's pace (one tick a second, at most 32 children a tick): a
// waiting head is a client waiting.
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include "prefork.h"

namespace prefork {
namespace {

constexpr int kQueueBytes = 4 << 20;  // room for thousands of hand-offs before the front must wait

bool open_queue(Master &m)
{
    if (m.shared != nullptr) return true;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, m.queue) != 0) {
        log_error(MH_LOG_ERR, errno, "PreforkFront: cannot make the hand-off queue; children accept alone");
        return false;
    }
    int bytes = kQueueBytes;
    setsockopt(m.queue[0], SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
    setsockopt(m.queue[1], SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    void *mem = mmap(nullptr, sizeof(FrontShared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        log_error(MH_LOG_ERR, errno, "PreforkFront: cannot map the front's counters; children accept alone");
        close(m.queue[0]);
        close(m.queue[1]);
        m.queue[0] = m.queue[1] = -1;
        return false;
    }
    m.shared = new (mem) FrontShared();
    return true;
}

pid_t fork_front()
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);  // as make_child: no master handler runs in the new process
    pid_t master_pid = getpid();
    pid_t pid = fork();
    if (pid == 0) front_main(master_pid);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) log_error(MH_LOG_ERR, err, "PreforkFront: cannot fork the front");
    return pid < 0 ? 0 : pid;
}

}  // namespace

bool is_idle_child(int slot)
{
    int state = svc()->slot_state(svc()->slot(slot, 0));
    return state == MH_WORKER_READY || state == MH_WORKER_STARTING;
}

void front_generation()
{
    Master &m = master();
    // The previous generation's front (its settings are old): it hands over
    // what it holds, then leaves; the next one starts when it is needed.
    if (m.front_pid) {
        kill(m.front_pid, SIGUSR1);
        m.old_fronts.push_back(m.front_pid);
        m.front_pid = 0;
    }
    // The queue is made before any child: a child watches it from its start.
    if (m.cfg.front) open_queue(m);
}

void front_stop(bool now)
{
    Master &m = master();
    if (m.front_pid) m.old_fronts.push_back(m.front_pid);
    m.front_pid = 0;
    for (pid_t pid : m.old_fronts) kill(pid, now ? SIGTERM : SIGUSR1);
}

void front_reap()
{
    Master &m = master();
    auto gone = [](pid_t pid, int &status) {
        pid_t got;
        do got = waitpid(pid, &status, WNOHANG);
        while (got < 0 && errno == EINTR);
        return got == pid;
    };
    int status = 0;
    std::erase_if(m.old_fronts, [&](pid_t pid) { return gone(pid, status); });
    if (m.front_pid && gone(m.front_pid, status)) {
        bool crashed = WIFSIGNALED(status) || WEXITSTATUS(status) != 0;
        if (crashed)
            log_error(MH_LOG_ERR, 0, "PreforkFront: the front (pid %ld) %s %d; the connections it held are lost",
                      long(m.front_pid), WIFSIGNALED(status) ? "died of signal" : "exited with",
                      WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        // Children accept for themselves until the pool is busy again.
        m.front_pid = 0;
        m.shared->active.store(0, std::memory_order_relaxed);
        m.shared->held.store(0, std::memory_order_relaxed);
    }
}

void front_watch()
{
    Master &m = master();
    if (m.shared == nullptr || !m.cfg.front || m.stopping != Stopping::No) return;
    int ready = 0, idle = 0;
    for (auto [pid, slot] : m.slot_of) {
        const ChildRecord &c = m.slots[size_t(slot)];
        if (c.generation != m.generation || c.asked_to_leave || c.terminated_ms) continue;
        int state = svc()->slot_state(svc()->slot(slot, 0));
        ready += state == MH_WORKER_READY;
        idle += state == MH_WORKER_READY || state == MH_WORKER_STARTING;
    }
    // Every child busy: the front takes the new connections from now on (it
    // leaves again once the pool has been calm a while).
    if (ready == 0 && m.front_pid == 0) {
        m.front_pid = fork_front();
        if (m.front_pid) log_error(MH_LOG_INFO, 0, "PreforkFront: no idle child: front pid %ld takes new connections",
                                   long(m.front_pid));
    }
    int queued = m.shared->queued.load(std::memory_order_relaxed);
    if (idle < queued) start_children(queued - idle);
}

void front_close()
{
    Master &m = master();
    if (m.shared == nullptr) return;
    close(m.queue[0]);
    close(m.queue[1]);
    m.queue[0] = m.queue[1] = -1;
    m.shared->~FrontShared();
    munmap(m.shared, sizeof(FrontShared));
    m.shared = nullptr;
}

}  // namespace prefork
