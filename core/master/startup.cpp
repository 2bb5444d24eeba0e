#include "master/startup.h"

#include <cerrno>
#include <cstring>

#include "listeners.h"
#include "log/error_log.h"
#include "logging.h"
#include "server.h"

namespace mh::startup {

bool open_error_log(mh_server &s, std::string &error)
{
    if (int err = log::ErrorLog::open(s.core.error_log); err != 0) {
        error = std::string("(") + std::to_string(err) + ")" + strerror(err) + ": AH00091: modhttpd: could not open error log file " +
                s.core.error_log + ".";
        return false;
    }
    log::set_levels(s.core.log_level, s.core.module_log_levels);
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
    s.access_logs.clear();
    for (const CustomLog &c : s.core.custom_logs) {
        auto file = log::AccessLogFile::open(c.path);
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
