#include "master/startup.h"

#include <fcntl.h>
#include <syslog.h>

#include <cerrno>
#include <cstring>

#include "listeners.h"
#include "log/error_log.h"
#include "log/piped_log.h"
#include "logging.h"
#include "server.h"

namespace mh::startup {

namespace {

std::string error_log_failure(int err, const std::string &path)
{
    if (log::piped::is_pipe(path))
        return std::string("(") + std::to_string(err) + ")" + strerror(err) +
               ": AH00089: Couldn't start ErrorLog process '" + path.substr(path.find_first_not_of("|$")) + "'.";
    return std::string("(") + std::to_string(err) + ")" + strerror(err) +
           ": AH00091: modhttpd: could not open error log file " + path + ".";
}

// The main ErrorLog: a file, a piped logger or syslog.
int open_main_error_log(const std::string &target)
{
    if (int facility = log::syslog_facility(target); facility >= 0) {
        log::ErrorLog::open_syslog(facility);
        return 0;
    }
    if (log::piped::is_pipe(target)) return log::ErrorLog::open_pipe(target);
    return log::ErrorLog::open(target);
}

// A vhost's own: a descriptor of its own (-1 and errno on failure).
int open_vhost_error_log(const std::string &target)
{
    if (!log::piped::is_pipe(target))
        return ::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    int writer = log::piped::writer_for(target);
    return writer < 0 ? -1 : fcntl(writer, F_DUPFD_CLOEXEC, 3);
}

}  // namespace

bool open_error_log(mh_server &s, std::string &error)
{
    if (int err = open_main_error_log(s.core.error_log); err != 0) {
        error = error_log_failure(err, s.core.error_log);
        return false;
    }
    log::set_levels(s.core.log_level, s.core.module_log_levels);
    // A vhost's own ErrorLog: a file of its own, kept open by its mh_server
    // (and so closed with its generation); forked children keep it.
    for (const std::unique_ptr<mh_server> &v : s.vhosts) {
        if (v->core.error_log == s.core.error_log || v->error_log_fd >= 0) continue;
        if (int facility = log::syslog_facility(v->core.error_log); facility >= 0) {
            // One openlog per process, as Apache: the facility is the first one opened.
            if (!log::ErrorLog::to_syslog()) openlog("modhttpd", LOG_PID | LOG_NDELAY, facility);
            v->error_log_syslog = true;
            continue;
        }
        v->error_log_fd = open_vhost_error_log(v->core.error_log);
        if (v->error_log_fd < 0) {
            error = error_log_failure(errno, v->core.error_log);
            return false;
        }
    }
    return true;
}

bool bind_listeners(mh_server &s, std::string &error)
{
    if (!listeners().update(s.core.listen, s.core.listen_backlog, error)) {
        error += "\nno listening sockets available, shutting down";
        return false;
    }
    return true;
}

bool open_access_logs(mh_server &s, std::string &error)
{
    // A vhost without CustomLog writes to the main server's logs.
    for (const std::unique_ptr<mh_server> &v : s.vhosts)
        if (!v->core.custom_logs.empty() && !open_access_logs(*v, error)) return false;
    s.access_logs.clear();
    for (const CustomLog &c : s.core.custom_logs) {
        bool pipe = log::piped::is_pipe(c.path);
        auto file = pipe ? log::AccessLogFile::open_pipe(c.path) : log::AccessLogFile::open(c.path);
        if (!file && pipe) {
            error = std::string("(") + std::to_string(errno) + ")" + strerror(errno) +
                    ": AH00104: unable to start piped log program '" + c.path.substr(c.path.find_first_not_of("|$")) + "'";
            return false;
        }
        if (!file) {
            error = std::string("(") + std::to_string(errno) + ")" + strerror(errno) + ": AH00649: could not open transfer log file " +
                    c.path + ".";
            return false;
        }
        s.access_logs.push_back({log::LogFormat(c.format), std::move(file)});
    }
    return true;
}

bool run_post_config(mh_server &s, std::string &error)
{
    for (const auto &e : s.hooks.post_config.entries()) {
        int rv = e.fn(&s);
        if (rv != MH_OK && rv != MH_DECLINED) {  // RUN_ALL, as Apache
            error = "AH00016: Configuration Failed: post_config of " + std::string(e.module->source ? e.module->source : "?") +
                    " returned " + std::to_string(rv);
            return false;
        }
    }
    return true;
}

}  // namespace mh::startup
