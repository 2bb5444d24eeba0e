#include "request/request_log.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "connection/connection.h"
#include "http/request_head.h"
#include "log/access_log.h"
#include "request/response.h"
#include "scoreboard.h"
#include "server.h"
#include "server_identity.h"

namespace mh {
namespace {

const char *header_in(const void *ctx, std::string_view name)
{
    return static_cast<const mh_request *>(ctx)->headers_in.get(name);
}

// %{X}o: the response's headers, err_headers_out included (as Apache).
const char *header_out(const void *ctx, std::string_view name)
{
    const auto *r = static_cast<const mh_request *>(ctx);
    if (http::iequals(name, "Content-Type")) return r->content_type;
    const char *v = r->headers_out.get(name);
    return v ? v : r->err_headers_out.get(name);
}

const char *env(const void *ctx, std::string_view name)
{
    return static_cast<const mh_request *>(ctx)->subprocess_env.get(name);
}

const char *note(const void *ctx, std::string_view name) { return static_cast<const mh_request *>(ctx)->notes.get(name); }

// %{HTTPS}x is "off" on a connection no transport secures, as mod_ssl logs
// it; the other variables are "-" there. (CGI gets no HTTPS at all then, as
// under Apache: that lookup is connection_var's, not this one.)
const char *conn_var(const void *ctx, std::string_view name)
{
    const mh_request *r = static_cast<const mh_request *>(ctx);
    const char *v = r->conn ? r->conn->transport_var(std::string(name).c_str()) : nullptr;
    return v == nullptr && name == "HTTPS" ? "off" : v;
}

// A vhost without CustomLog of its own logs to the main server's.
mh_server &logs_of(mh_server &s) { return s.core.custom_logs.empty() ? *s.main_server : s; }

void write_access_logs(mh_request &r, int64_t now)
{
    Connection &c = *r.conn;
    log::RequestFacts f;
    f.client_ip = c.client_ip();
    f.client_port = c.client_port();
    f.local_ip = c.local_ip();
    f.local_port = c.local_port();
    f.start_us = r.start_us;
    f.duration_us = now - r.start_us;
    f.request_line = r.request_line;
    f.method = r.method;
    f.path = r.path;
    std::string query = r.query ? std::string("?") + r.query : std::string();
    f.query = query;
    f.protocol = r.protocol;
    f.server_name = request_server_name(r);  // %V
    f.vhost = server_hostname(*r.server);    // %v
    f.filename = r.filename ? r.filename : "";
    f.handler = r.handler ? r.handler : "";
    f.original_status = r.original_status ? r.original_status : r.status;
    f.final_status = r.status;
    f.body_bytes = r.body_sent;
    f.bytes_in = c.parser().request_bytes();
    f.bytes_out = r.bytes_out;
    f.keepalive_count = r.keepalive_count;
    f.connection_status = c.aborted() ? 'X' : r.keep_alive ? '+' : '-';
    f.pid = getpid();
    f.tid = static_cast<unsigned long>(syscall(SYS_gettid));
    f.header_in = header_in;
    f.header_out = header_out;
    f.env = env;
    f.note = note;
    f.conn_var = conn_var;
    if (r.user) f.remote_user = r.user;
    f.header_ctx = &r;

    thread_local std::string line;
    for (OpenCustomLog &log : logs_of(*r.server).access_logs) {
        line.clear();
        log.format.render(f, line);
        log.file->write_line(line);
    }
}

}  // namespace

void log_access(mh_request &r)
{
    if (mh_slot *slot = r.conn->slot()) slot->state.store(MH_WORKER_LOG, std::memory_order_relaxed);
    if (!logs_of(*r.server).access_logs.empty()) write_access_logs(r, scoreboard::now_us());
}

void request_done(mh_request &r)
{
    if (mh_slot *slot = r.conn->slot()) scoreboard::request_finished(slot, r.body_sent, scoreboard::now_us());
}

}  // namespace mh
