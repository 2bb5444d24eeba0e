// Writing to the ErrorLog from the core and from modules, with LogLevel
// (global and per module) deciding what is written; notices always are,
// as in Apache.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "modhttpd/api.h"

struct mh_request;
struct mh_server;

namespace mh::log {

// The levels in force (from the running configuration).
void set_levels(int level, const std::map<std::string, int> &per_module);
bool enabled(const char *module, int level);

void server_error(const char *module, int level, int os_errno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
// A message of several lines (a startup failure, say), one log line each.
void server_error_lines(const char *module, int level, std::string_view text);
void request_error(const mh_request &r, int level, int os_errno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void vwrite(const char *module, int level, int os_errno, const char *client, const char *fmt, va_list ap);

// As enabled() and vwrite(), under the LogLevel and into the ErrorLog of
// `s`: a <VirtualHost>'s own when it set them (s may be null: the main).
bool enabled_for(const mh_server *s, const char *module, int level);
// True when a LogLevel names a module for server `s` (the main server's
// when null): only then does enabled_for need the module's name.
bool has_module_levels(const mh_server *s);
void vwrite_for(const mh_server *s, const char *module, int level, int os_errno, const char *client, const char *fmt,
                va_list ap);

// A module's short name for log lines: "mod_status.c" -> "status".
std::string module_log_name(const char *source);

}  // namespace mh::log
