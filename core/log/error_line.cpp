// Log levels and the text of one error log line (Apache's default
// ErrorLogFormat, as do_errorlog_default builds it).
#include "log/error_log.h"

#include <cstdio>
#include <cstring>
#include <strings.h>

#include "log/escape.h"
#include "log/time_cache.h"

namespace mh::log {
namespace {

constexpr const char *kLevelNames[] = {"emerg",  "alert",  "crit",   "error",  "warn",   "notice",
                                       "info",   "debug",  "trace1", "trace2", "trace3", "trace4",
                                       "trace5", "trace6", "trace7", "trace8"};
constexpr int kLevels = sizeof kLevelNames / sizeof kLevelNames[0];

}  // namespace

// Case-insensitive, as Apache's LogLevel.
int parse_level(std::string_view name) {
    for (int i = 0; i < kLevels; ++i) {
        if (name.size() == std::strlen(kLevelNames[i]) &&
            strncasecmp(name.data(), kLevelNames[i], name.size()) == 0)
            return i;
    }
    return -1;
}

const char *level_name(int level) {
    return level >= 0 && level < kLevels ? kLevelNames[level] : "unknown";
}

std::string format_error_line(const ErrorLine &line, const timespec &now, pid_t pid,
                              unsigned long tid) {
    std::string out;
    out.reserve(112 + line.module.size() + line.client.size() + line.message.size());

    // "[Fri Nov 27 16:21:25.123456 2026] ": apr_ctime with microseconds.
    const std::tm &tm = detail::local_time(now.tv_sec);
    char buf[96];
    int n = std::snprintf(buf, sizeof buf, "[%s %s %02d %02d:%02d:%02d.%06ld %04d] [",
                          detail::kDayNames[tm.tm_wday], detail::kMonthNames[tm.tm_mon], tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000, tm.tm_year + 1900);
    out.append(buf, static_cast<std::size_t>(n));

    out.append(line.module.empty() ? std::string_view("-") : line.module);
    out.push_back(':');
    out.append(level_name(line.level));

    n = tid != 0 ? std::snprintf(buf, sizeof buf, "] [pid %ld:tid %lu] ", static_cast<long>(pid), tid)
                 : std::snprintf(buf, sizeof buf, "] [pid %ld] ", static_cast<long>(pid));
    out.append(buf, static_cast<std::size_t>(n));

    if (line.os_errno != 0) {
        n = std::snprintf(buf, sizeof buf, "(%d)", line.os_errno);
        out.append(buf, static_cast<std::size_t>(n));
        char msg[256];
        out.append(strerror_r(line.os_errno, msg, sizeof msg));  // GNU: returns the text
        out.append(": ");
    }
    if (!line.client.empty()) {
        out.append("[client ");
        out.append(line.client);
        out.append("] ");
    }
    // Escaped so that a message cannot add lines to the log.
    detail::append_errorlog_escaped(out, line.message);
    out.push_back('\n');
    return out;
}

}  // namespace mh::log
