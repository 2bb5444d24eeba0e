// The ErrorLog: Apache 2.4's line format, one write(2) per line so that many
// processes and threads can share one O_APPEND file without mixing lines.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace mh::log {

// "emerg".."trace8" -> 0..15 (the mh_log_level values); -1 when unknown.
int parse_level(std::string_view name);
const char *level_name(int level);

// "syslog", "syslog:local7" -> the LOG_* facility (default local7); -1 when
// the facility is unknown. Not syslog: -2.
int syslog_facility(std::string_view target);

struct ErrorLine {
    int level = 0;                 // mh_log_level
    std::string_view module;       // "core", "mpm_prefork", "static"
    int os_errno = 0;              // 0: no system error to show
    std::string_view client;       // "127.0.0.1:4321", or empty
    std::string_view message;      // "AH00169: caught SIGTERM, shutting down"
};

// One line in Apache 2.4's default ErrorLogFormat, '\n' included:
// [Fri Nov 27 16:21:25.123456 2026] [core:error] [pid 42:tid 7] (2)No such file or directory: [client 1.2.3.4:5] msg
// `tid` 0 leaves out ":tid N" (non-threaded MPMs, as Apache does).
std::string format_error_line(const ErrorLine &line, const timespec &now, pid_t pid,
                              unsigned long tid);

// The process-wide error log. Before open() (and when it fails) lines go to
// stderr. Thread-safe.
class ErrorLog {
public:
    // Opens (creating with mode 0640) and makes it current; the old file is
    // closed. Returns 0 or an errno value.
    static int open(const std::string &path);
    // "|cmd": the write end of a piped logger (see piped_log.h).
    static int open_pipe(const std::string &target);
    // "syslog[:facility]": lines go to syslog(3), without their timestamp.
    static void open_syslog(int facility);
    static bool to_syslog();
    static void write_syslog(const ErrorLine &line);
    // Back to stderr (for -X and tests).
    static void use_stderr();
    static int fd();
    // Writes one formatted line in a single write(2).
    static void write(const ErrorLine &line);
    // A server-level line (no request) from `module`: the log library's own notices.
    static void report(const char *module, int level, int os_errno, const std::string &message);
    // The same to another descriptor (a <VirtualHost>'s own ErrorLog).
    static void write_to(int fd, const ErrorLine &line);
    // Marks the process as threaded: lines then carry ":tid N".
    static void set_threaded(bool threaded);
};

}  // namespace mh::log
