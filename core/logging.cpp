#include "logging.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <mutex>

#include "connection/connection.h"
#include "log/error_log.h"
#include "request/request.h"
#include "server.h"

namespace mh::log {
namespace {

std::atomic<int> g_level{MH_LOG_WARNING};
std::map<std::string, int> g_per_module;  // replaced only in the master, between generations

}  // namespace

void set_levels(int level, const std::map<std::string, int> &per_module)
{
    g_level = level;
    g_per_module = per_module;
}

bool enabled(const char *module, int level)
{
    if (!g_per_module.empty() && module) {
        auto it = g_per_module.find(module);
        if (it != g_per_module.end()) return level <= it->second;
    }
    return level <= g_level.load(std::memory_order_relaxed);
}

bool has_module_levels(const mh_server *s)
{
    if (s == nullptr || !s->is_virtual()) return !g_per_module.empty();
    return !s->core.module_log_levels.empty();
}

bool enabled_for(const mh_server *s, const char *module, int level)
{
    if (s == nullptr || !s->is_virtual()) return enabled(module, level);
    if (module) {
        auto it = s->core.module_log_levels.find(module);
        if (it != s->core.module_log_levels.end()) return level <= it->second;
    }
    return level <= s->core.log_level;
}

void vwrite(const char *module, int level, int os_errno, const char *client, const char *fmt, va_list ap)
{
    vwrite_for(nullptr, module, level, os_errno, client, fmt, ap);
}

void vwrite_for(const mh_server *s, const char *module, int level, int os_errno, const char *client, const char *fmt,
                va_list ap)
{
    // Apache logs a notice whatever LogLevel says: start, restart and stop
    // notices (AH00163, AH00094, AH00169...) are what an admin looks for.
    if (level != MH_LOG_NOTICE && !enabled_for(s, module, level)) return;
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ErrorLine line;
    line.level = level;
    line.module = module ? module : "core";
    line.os_errno = os_errno;
    line.client = client ? client : "";
    line.message = msg;
    if (s && s->error_log_syslog) ErrorLog::write_syslog(line);
    else if (s && s->error_log_fd >= 0) ErrorLog::write_to(s->error_log_fd, line);
    else ErrorLog::write(line);
}

void server_error(const char *module, int level, int os_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwrite(module, level, os_errno, nullptr, fmt, ap);
    va_end(ap);
}

void server_error_lines(const char *module, int level, std::string_view text)
{
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        server_error(module, level, 0, "%.*s", int(line.size()), line.data());
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

void request_error(const mh_request &r, int level, int os_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwrite_for(r.server, "core", level, os_errno, r.conn ? r.conn->client_text() : nullptr, fmt, ap);
    va_end(ap);
}

std::string module_log_name(const char *source)
{
    std::string name = source ? source : "";
    if (size_t slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    if (name.rfind("mod_", 0) == 0) name.erase(0, 4);
    if (size_t dot = name.find('.'); dot != std::string::npos) name.resize(dot);
    return name;
}

}  // namespace mh::log
