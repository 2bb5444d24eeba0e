// The process-wide error log descriptor. Once a file is open its descriptor
// number never changes: a reopen dup2()s the new file onto it, so a thread
// that loaded the number a moment before cannot write into a reused fd.
#include "log/error_log.h"

#include <atomic>
#include <cstring>
#include <cerrno>
#include <fcntl.h>
#include <mutex>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "log/piped_log.h"
#include "log/write_all.h"

namespace mh::log {
namespace {

std::atomic<int> g_fd{STDERR_FILENO};
std::atomic<bool> g_threaded{false};
std::mutex g_reopen;     // serialises open() and use_stderr()
int g_stable_fd = -1;    // the fd the file lives on, once opened (g_reopen)
std::atomic<bool> g_syslog{false};

// Apache's facility names (log.c's facilities[]).
struct Facility {
    const char *name;
    int value;
};
constexpr Facility kFacilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},     {"daemon", LOG_DAEMON},
    {"ftp", LOG_FTP},       {"kern", LOG_KERN},         {"lpr", LOG_LPR},       {"mail", LOG_MAIL},
    {"news", LOG_NEWS},     {"syslog", LOG_SYSLOG},     {"user", LOG_USER},     {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},     {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

int install(int fd) {
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
    g_syslog.store(false, std::memory_order_release);
    return 0;
}

}  // namespace

int ErrorLog::open(const std::string &path) {
    // Inheritable on purpose: forked children keep writing to it.
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0640);
    if (fd < 0) return errno;
    return install(fd);
}

int ErrorLog::open_pipe(const std::string &target) {
    int writer = piped::writer_for(target);
    if (writer < 0) return errno;
    int fd = ::dup(writer);
    if (fd < 0) return errno;
    return install(fd);
}

int syslog_facility(std::string_view target) {
    if (target.size() < 6 || strncasecmp(target.data(), "syslog", 6) != 0) return -2;
    if (target.size() == 6) return LOG_LOCAL7;
    if (target[6] != ':') return -2;
    std::string_view name = target.substr(7);
    name = name.substr(0, name.find(':'));  // syslog:facility:tag
    if (name.empty()) return LOG_LOCAL7;
    for (const Facility &f : kFacilities)
        if (name.size() == std::strlen(f.name) && strncasecmp(name.data(), f.name, name.size()) == 0) return f.value;
    return -1;
}

void ErrorLog::open_syslog(int facility) {
    openlog("modhttpd", LOG_PID | LOG_NDELAY, facility);
    g_syslog.store(true, std::memory_order_release);
}

bool ErrorLog::to_syslog() { return g_syslog.load(std::memory_order_acquire); }

void ErrorLog::write_syslog(const ErrorLine &line) {
    std::string text = format_error_line(line, timespec{}, getpid(),
                                         g_threaded.load(std::memory_order_relaxed) ? gettid() : 0);
    // Apache leaves the time out: syslog stamps the line itself.
    if (size_t end = text.find("] "); end != std::string::npos) text.erase(0, end + 2);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    // Levels map one to one; trace1..8 are debug (as Apache).
    syslog(line.level <= LOG_DEBUG ? line.level : LOG_DEBUG, "%s", text.c_str());
}

void ErrorLog::use_stderr() {
    std::lock_guard lock(g_reopen);
    g_fd.store(STDERR_FILENO, std::memory_order_release);
    g_syslog.store(false, std::memory_order_release);
    // Releases the file but keeps the number valid (it now means stderr).
    if (g_stable_fd >= 0 && g_stable_fd != STDERR_FILENO) ::dup2(STDERR_FILENO, g_stable_fd);
}

int ErrorLog::fd() { return g_fd.load(std::memory_order_acquire); }

void ErrorLog::write(const ErrorLine &line) {
    if (to_syslog()) write_syslog(line);
    else write_to(fd(), line);
}

void ErrorLog::report(const char *module, int level, int os_errno, const std::string &message) {
    ErrorLine line;
    line.level = level;
    line.module = module;
    line.os_errno = os_errno;
    line.message = message;
    write(line);
}

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
