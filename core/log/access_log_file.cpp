// A CustomLog file. Lines are whole single writes to an O_APPEND file; a
// failing disk drops lines (never blocks or retries) and says so once.
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "log/access_log.h"
#include "log/error_log.h"
#include "log/write_all.h"
#include "modhttpd/api.h"

namespace mh::log {
namespace {

void report(int level, int os_errno, const std::string &message) {
    ErrorLine line;
    line.level = level;
    line.module = "log_config";
    line.os_errno = os_errno;
    line.message = message;
    ErrorLog::write(line);
}

}  // namespace

std::unique_ptr<AccessLogFile> AccessLogFile::open(const std::string &path) {
    // Close-on-exec so that CGI programs do not inherit it; forks keep it.
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) return nullptr;
    return std::unique_ptr<AccessLogFile>(new AccessLogFile(path, fd));
}

AccessLogFile::~AccessLogFile() {
    if (fd_ >= 0) ::close(fd_);
}

void AccessLogFile::write_line(std::string &line) {
    line.push_back('\n');
    int err = detail::write_all(fd_, line.data(), line.size());
    line.pop_back();  // the caller's buffer as it was

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
