// One compiled piece of a LogFormat: literal text or a %-directive with its
// argument already decoded, so that render() only switches on `kind`.
#pragma once

#include <string>
#include <vector>

#include "log/access_log.h"

namespace mh::log {

struct LogFormat::Item {
    enum class Kind : unsigned char {
        literal,          // `text` (also a bogus %{..}p/P/T argument, as Apache)
        dash,             // %l %L %^ti %^to: nothing to show
        client_ip,        // %a %{c}a
        remote_host,      // %h (no lookups: the IP, escaped)
        local_ip,         // %A
        body_bytes_clf,   // %b
        body_bytes,       // %B
        cookie,           // %{name}C
        duration_us,      // %D %{us}T
        duration_ms,      // %{ms}T
        duration_s,       // %T %{s}T
        filename,         // %f
        protocol,         // %H
        header_in,        // %{name}i
        header_out,       // %{name}o
        env,              // %{name}e: the request's environment (SetEnvIf, REDIRECT_*)
        note,             // %{name}n: a module's note
        conn_var,         // %{name}x: a variable of the connection's transport (mod_ssl's)
        keepalives,       // %k
        method,           // %m
        local_port,       // %p %{canonical}p %{local}p
        remote_port,      // %{remote}p
        pid,              // %P %{pid}P
        tid,              // %{tid}P
        hextid,           // %{hextid}P
        query,            // %q
        request_line,     // %r
        handler,          // %R
        status,           // %s %>s %<s
        time_clf,         // %t %{begin}t %{end}t
        time_strftime,    // %{format}t
        time_sec,         // %{sec}t
        time_msec,        // %{msec}t
        time_usec,        // %{usec}t
        time_msec_frac,   // %{msec_frac}t
        time_usec_frac,   // %{usec_frac}t
        remote_user,      // %u
        url_path,         // %U
        vhost,            // %v
        server_name,      // %V
        conn_status,      // %X
        bytes_in,         // %I
        bytes_out,        // %O
        bytes_total,      // %S
    };

    Kind kind = Kind::literal;
    bool want_orig = false;  // %<: the original request (only %s differs)
    bool end_time = false;   // %{end:..}t: the time the request finished
    bool negate = false;     // %!...: show unless the status is listed
    std::vector<int> statuses;  // %400,501...: show only for these final statuses
    std::string text;        // literal text, header/cookie name, strftime format
};

}  // namespace mh::log
