#include "request/trace.h"

#include <cstring>
#include <string>

#include "connection/connection.h"
#include "http/request_head.h"
#include "request/response.h"
#include "server.h"

namespace mh::trace {
namespace {

constexpr size_t kMaxBody = 65536;  // Apache's limit for an extended TRACE's body

bool has_body(const mh_request &r) { return r.head && r.head->framing != http::BodyFraming::None; }

// Reads the whole body into `out`; 0, or the status to answer (413 past
// the limit, or the one the read failed with).
int read_all(mh_request &r, std::string &out)
{
    char buf[8192];
    for (;;) {
        long n = r.conn->read_body(r, buf, sizeof buf);
        if (n == 0) return 0;
        if (n < 0) return r.status >= 400 ? r.status : 400;
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > kMaxBody) return 413;
    }
}

}  // namespace

bool is_trace(const mh_request &r) { return std::strcmp(r.method, "TRACE") == 0; }

bool reads_body(const mh_request &r) { return r.server->core.trace_enable == TraceEnable::Extended && has_body(r); }

int answer(mh_request &r)
{
    TraceEnable mode = r.server->core.trace_enable;
    if (mode == TraceEnable::Off) {
        // RFC 9110 wants the methods that are allowed: those of a file.
        r.headers_out.set("Allow", "GET, HEAD, POST, OPTIONS");
        r.notes.set("error-notes", "TRACE denied by server configuration");
        return 405;
    }
    std::string body;
    if (has_body(r)) {
        if (mode != TraceEnable::Extended) {
            r.notes.set("error-notes", "TRACE with a request body is not allowed");
            return 413;
        }
        if (r.head->framing == http::BodyFraming::Length && r.head->content_length > kMaxBody) return 413;
        if (int status = read_all(r, body)) return status;
    }
    std::string echo = r.request_line;
    echo += "\r\n";
    for (const auto &[name, value] : r.headers_in.entries) {
        echo += name;
        echo += ": ";
        echo += value;
        echo += "\r\n";
    }
    echo += "\r\n";
    echo += body;
    r.content_type = "message/http";
    r.content_length = static_cast<int64_t>(echo.size());
    response::write(r, echo);
    return MH_DONE;
}

}  // namespace mh::trace
