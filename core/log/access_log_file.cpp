// A CustomLog file. Lines are whole single writes to an O_APPEND file; a
// failing disk drops lines (never blocks or retries) and says so once.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/access_log.h"
#include "log/error_log.h"
#include "log/piped_log.h"
#include "log/write_all.h"
#include "modhttpd/api.h"

namespace mh::log {
namespace {

void report(int level, int os_errno, const std::string &message) {
    ErrorLog::report("log_config", level, os_errno, message);
}

}  // namespace

std::unique_ptr<AccessLogFile> AccessLogFile::open(const std::string &path) {
    // Close-on-exec so that CGI programs do not inherit it; forks keep it.
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) return nullptr;
    // A regular file is kept open for reading too, when we may, so that a
    // line a full disk cut short can be checked before it is taken back
    // (take_back). Pipes, terminals and devices stay write-only.
    struct stat st, rw_st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        int rw = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
        if (rw >= 0 && fstat(rw, &rw_st) == 0 && rw_st.st_dev == st.st_dev && rw_st.st_ino == st.st_ino) {
            ::close(fd);
            fd = rw;
        } else if (rw >= 0) {
            ::close(rw);
        }
    }
    return std::unique_ptr<AccessLogFile>(new AccessLogFile(path, fd));
}

std::unique_ptr<AccessLogFile> AccessLogFile::open_pipe(const std::string &target) {
    int writer = piped::writer_for(target);
    if (writer < 0) return nullptr;
    // A copy of its own, closed with this log; the master keeps the original.
    int fd = fcntl(writer, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return nullptr;
    return std::unique_ptr<AccessLogFile>(new AccessLogFile(target, fd));
}

AccessLogFile::~AccessLogFile() {
    if (fd_ >= 0) ::close(fd_);
}

// A write that a full disk cut short leaves the start of the line at the end
// of the file, and the next line written would be glued to it. Take it back
// while the file still ends with it (nothing was appended since: the disk
// is full); failing that, the next line starts on a line of its own.
void AccessLogFile::take_back(const char *fragment, std::size_t len) {
    struct stat st;
    if (fstat(fd_, &st) == 0 && st.st_size >= off_t(len)) {
        std::string tail(len, '\0');
        off_t at = st.st_size - off_t(len);
        if (pread(fd_, tail.data(), len, at) == ssize_t(len) && memcmp(tail.data(), fragment, len) == 0 &&
            ftruncate(fd_, at) == 0)
            return;
    }
    torn_.store(true, std::memory_order_relaxed);
}

void AccessLogFile::write_line(std::string &line) {
    bool torn = torn_.load(std::memory_order_relaxed) && torn_.exchange(false);
    if (torn) line.insert(line.begin(), '\n');
    line.push_back('\n');
    std::size_t written = 0;
    int err = detail::write_all(fd_, line.data(), line.size(), &written);
    if (err != 0 && written > 0) take_back(line.data(), written);
    else if (err != 0 && torn) torn_.store(true, std::memory_order_relaxed);  // still to do
    line.pop_back();  // the caller's buffer as it was
    if (torn) line.erase(line.begin());

    if (err == 0) {
        if (failing_.load(std::memory_order_relaxed) && failing_.exchange(false)) {
            std::string msg = "access log " + path_ + " is writable again; " +
                              std::to_string(dropped_.exchange(0)) + " lines were dropped";
            report(MH_LOG_NOTICE, 0, msg);
        }
        return;
    }
    dropped_.fetch_add(1, std::memory_order_relaxed);
    if (!failing_.exchange(true)) {
        std::string msg =
            "could not write to access log " + path_ + "; dropping lines until it recovers";
        report(MH_LOG_ERR, err, msg);
    }
}

}  // namespace mh::log
