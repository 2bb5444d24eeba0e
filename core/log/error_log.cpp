// The process-wide error log descriptor. Once a file is open its descriptor
// number never changes: a reopen dup2()s the new file onto it, so a thread
// that loaded the number a moment before cannot write into a reused fd.
#include "log/error_log.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

#include "log/write_all.h"

namespace mh::log {
namespace {

std::atomic<int> g_fd{STDERR_FILENO};
std::atomic<bool> g_threaded{false};
std::mutex g_reopen;     // serialises open() and use_stderr()
int g_stable_fd = -1;    // the fd the file lives on, once opened (g_reopen)

}  // namespace

int ErrorLog::open(const std::string &path) {
    // Inheritable on purpose: forked children keep writing to it.
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0640);
    if (fd < 0) return errno;
    std::lock_guard lock(g_reopen);
    if (g_stable_fd < 0) {
        g_stable_fd = fd;
    } else if (fd != g_stable_fd) {
        if (::dup2(fd, g_stable_fd) < 0) {
            int err = errno;
            ::close(fd);
            return err;
        }
        ::close(fd);
    }
    g_fd.store(g_stable_fd, std::memory_order_release);
    return 0;
}

void ErrorLog::use_stderr() {
    std::lock_guard lock(g_reopen);
    g_fd.store(STDERR_FILENO, std::memory_order_release);
    // Releases the file but keeps the number valid (it now means stderr).
    if (g_stable_fd >= 0 && g_stable_fd != STDERR_FILENO) ::dup2(STDERR_FILENO, g_stable_fd);
}

int ErrorLog::fd() { return g_fd.load(std::memory_order_acquire); }

void ErrorLog::write(const ErrorLine &line) { write_to(fd(), line); }

void ErrorLog::write_to(int fd, const ErrorLine &line) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned long tid =
        g_threaded.load(std::memory_order_relaxed) ? static_cast<unsigned long>(gettid()) : 0;
    std::string text = format_error_line(line, now, getpid(), tid);
    // Nowhere to report a failure to the error log itself.
    (void)detail::write_all(fd, text.data(), text.size());
}

void ErrorLog::set_threaded(bool threaded) { g_threaded.store(threaded, std::memory_order_relaxed); }

}  // namespace mh::log
