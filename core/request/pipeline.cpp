#include "request/pipeline.h"

#include <string>

#include "connection/connection.h"
#include "hooks.h"
#include "http/uri_path.h"
#include "logging.h"
#include "request/request_log.h"
#include "request/response.h"
#include "scoreboard.h"
#include "server.h"

namespace mh::pipeline {
namespace {

// Host without port: "[::1]:8080" -> "::1", "Example.com:80" -> "Example.com".
std::string_view host_without_port(std::string_view host)
{
    if (!host.empty() && host.front() == '[') {
        size_t close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(1, close - 1);
    }
    size_t colon = host.rfind(':');
    return colon == std::string_view::npos ? host : host.substr(0, colon);
}

void fill_request_fields(mh_request &r)
{
    const http::RequestHead &h = *r.head;
    r.method = h.method.data();
    r.target = h.target.data();
    r.protocol = h.protocol.data();
    r.request_line = h.request_line.data();
    r.header_only = h.method == "HEAD";
    for (const http::Header &f : h.headers) r.headers_in.add(f.name.data(), f.value.data());  // NUL-terminated views
    std::string_view host = h.target_host.data() ? h.target_host : host_without_port(h.header("Host"));
    r.hostname = r.pool.strdup(host);
}

// The core's translate_name: the URL path under DocumentRoot.
void translate_to_document_root(mh_request &r)
{
    const std::string &root = r.server->core.document_root;
    std::string_view path = r.path;
    size_t n = root.size() + path.size();
    char *f = static_cast<char *>(r.pool.alloc(n + 1));
    memcpy(f, root.data(), root.size());
    memcpy(f + root.size(), path.data(), path.size());
    f[n] = '\0';
    r.filename = f;
}

bool is_http_status(int rv) { return rv >= 100 && rv <= 599; }

// An error answer to a request whose body was left unread: the body is read
// and dropped first, as Apache's default handler does, so that a message
// with broken framing (a bad chunk, a cut body) gets the parser's 400 and
// not the handler's verdict (a 405 from a static file, say). Bounded like
// any discard: too large a body, or a 100-continue never sent, is left for
// the close. A body over LimitRequestBody is not the handler's concern when
// it never asked for the body: its answer stands (a 405 stays a 405), and
// the connection closes instead of reading on.
int error_after_discarding_body(mh_request &r, int status)
{
    if (r.headers_sent || r.body_done || r.body_failed || r.head->framing == http::BodyFraming::None)
        return status;
    if (!r.conn->discard_body(r) && r.body_failed && r.status == 400) return r.status;
    return status;
}

void run_handler(mh_request &r)
{
    mh_server &s = *r.server;
    int rv = run_first(s.hooks.translate_name, &r);
    if (rv == MH_DECLINED) translate_to_document_root(r);
    else if (rv != MH_OK) return response::send_error(r, is_http_status(rv) ? rv : 500);

    r.dir = &s.dir_config_for(r.filename ? r.filename : "", r.path);
    if (r.dir->core.require_granted == false) {
        log::request_error(r, MH_LOG_ERR, 0, "AH01630: client denied by server configuration: %s",
                           r.filename ? r.filename : r.path);
        return response::send_error(r, 403);
    }
    if (r.dir->core.handler && !r.dir->core.handler->empty()) r.handler = r.dir->core.handler->c_str();

    rv = run_all(s.hooks.fixups, &r);
    if (rv != MH_OK) return response::send_error(r, is_http_status(rv) ? rv : 500);

    rv = run_first(s.hooks.handler, &r);
    if (rv == MH_OK || rv == MH_DONE) return response::finish(r);
    if (rv == MH_DECLINED) {
        if (r.handler == nullptr) return response::send_error(r, error_after_discarding_body(r, 404));
        log::request_error(r, MH_LOG_WARNING, 0, "AH00523: handler \"%s\" not found for: %s", r.handler,
                           r.filename ? r.filename : r.path);
        return response::send_error(r, 500);
    }
    if (is_http_status(rv)) {
        if (rv < 400 && rv != 200) {
            // A handler asked for a redirect or similar without writing it.
            r.status = rv;
            return response::finish(r);
        }
        return response::send_error(r, rv == 200 ? 500 : error_after_discarding_body(r, rv));
    }
    log::request_error(r, MH_LOG_ERR, 0, "AH00524: Handler for %s returned invalid result code %d",
                       r.handler ? r.handler : "(none)", rv);
    response::send_error(r, 500);
}

void answer_options_star(mh_request &r)
{
    r.headers_out.add("Allow", "GET, HEAD, POST, OPTIONS");
    r.content_length = 0;
    response::finish(r);
}

}  // namespace

void process(mh_request &r)
{
    Connection &c = *r.conn;
    r.head = &c.parser().head();
    r.start_us = scoreboard::now_us();
    fill_request_fields(r);
    if (mh_slot *slot = c.slot())
        scoreboard::request_started(slot, r.request_line, c.client_text(), r.hostname, r.protocol, r.start_us);

    const http::RequestHead &h = *r.head;
    std::string_view target = h.target_path.data() ? h.target_path : h.target;
    std::string_view raw_path, query;
    http::split_target(target, raw_path, query);
    if (query.data()) r.query = r.pool.strdup(query);

    if (h.target == "*") {
        answer_options_star(r);
    } else {
        thread_local std::string decoded;
        http::PathVerdict v = http::normalize_path(raw_path, decoded);
        r.path = r.pool.strdup(v.status ? std::string_view(raw_path) : std::string_view(decoded));
        if (v.status) response::send_error(r, v.status);
        else run_handler(r);
    }
    log_request(r);
}

void reject(mh_request &r, int status, const char *reason)
{
    Connection &c = *r.conn;
    r.start_us = scoreboard::now_us();
    const http::RequestHead &h = c.parser().head();
    // Whatever of the head was understood goes to the log.
    if (!h.request_line.empty()) r.request_line = r.pool.strdup(h.request_line);
    else if (std::string_view line = c.parser().request_line_so_far(); !line.empty()) r.request_line = r.pool.strdup(line);
    log::request_error(r, MH_LOG_INFO, 0, "request failed: %s (%d)", reason, status);
    if (mh_slot *slot = c.slot())
        scoreboard::request_started(slot, r.request_line, c.client_text(), "", "", r.start_us);
    r.method = "GET";  // for the error page wording; the request itself never parsed
    response::send_error(r, status);
    r.keep_alive = false;
    r.method = "";
    log_request(r);
}

}  // namespace mh::pipeline
