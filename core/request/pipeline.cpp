#include "request/pipeline.h"

#include <string>

#include "connection/connection.h"
#include "hooks.h"
#include "http/uri_path.h"
#include "logging.h"
#include "request/filters.h"
#include "request/path_info.h"
#include "request/request_log.h"
#include "request/response.h"
#include "request/trace.h"
#include "scoreboard.h"
#include "server.h"
#include "server_identity.h"
#include "vhost/host_match.h"
#include "vhost/vhost_table.h"

namespace mh::pipeline {
namespace {

constexpr int kMaxRedirects = 10;  // Apache's LimitInternalRecursion

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

bool is_http_status(int rv) { return rv >= 100 && rv <= 599; }

// The request's server (Apache's two steps): the connection's local address
// picks the vhosts that may answer, `host` ("" for none) one of them.
mh_server *choose_server(mh_request &r, std::string_view host)
{
    mh_server &main = *r.server->main_server;
    if (main.vhosts.empty() || !main.vhost_table) return &main;
    Connection &c = *r.conn;
    const VhostTable::Chain *chain = main.vhost_table->for_address(c.local_ip(), c.local_port());
    return chain ? VhostTable::for_host(*chain, host, c.local_port()) : &main;
}

// The request continues with its error response (the ErrorResponse stage).
void fail(mh_request &r, int status)
{
    r.pending_error = is_http_status(status) ? status : 500;
    r.stage = Stage::ErrorResponse;
    r.hook_next = 0;
}

void go(mh_request &r, Stage next)
{
    r.stage = next;
    r.hook_next = 0;
}

// One stage's hooks from r.hook_next on. `all`: RUN_ALL (stop at the first
// result that is neither MH_OK nor MH_DECLINED), else RUN_FIRST (stop at the
// first that is not MH_DECLINED). On an event loop, a hook that may block
// is not called: the request yields there, to resume at that hook.
struct Outcome {
    bool yield;
    int rv;
};

template <typename Fn, typename Call>
Outcome run_hooks(mh_request &r, const HookList<Fn> &list, bool all, bool on_loop, Call call)
{
    const auto &entries = list.entries();
    for (; r.hook_next < entries.size(); ++r.hook_next) {
        const auto &e = entries[r.hook_next];
        if (on_loop && !e.nonblocking) return {true, 0};
        int rv = call(e.fn);
        if (rv == MH_WOULD_BLOCK) {
            if (on_loop) return {true, 0};
            log::request_error(r, MH_LOG_ERR, 0, "a hook of %s returned MH_WOULD_BLOCK on a worker thread",
                               e.module && e.module->source ? e.module->source : "a module");
            rv = 500;
        }
        if (all ? (rv != MH_OK && rv != MH_DECLINED) : rv != MH_DECLINED) {
            r.hook_next = 0;
            return {false, rv};
        }
    }
    r.hook_next = 0;
    return {false, all ? MH_OK : MH_DECLINED};
}

Outcome run_request_hooks(mh_request &r, const HookList<mh_request_fn> &list, bool all, bool on_loop)
{
    return run_hooks(r, list, all, on_loop, [&r](mh_request_fn fn) { return fn(&r); });
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

void answer_options_star(mh_request &r)
{
    r.headers_out.add("Allow", "GET, HEAD, POST, OPTIONS");
    r.content_length = 0;
    response::finish(r);
}

// What the handler's result means (docs/modules.md "Return codes").
void after_handler(mh_request &r, int rv)
{
    go(r, Stage::Log);
    if (rv == MH_OK || rv == MH_DONE) return response::finish(r);
    if (rv == MH_DECLINED) {
        if (r.handler == nullptr) return fail(r, 404);
        log::request_error(r, MH_LOG_WARNING, 0, "AH00523: handler \"%s\" not found for: %s", r.handler,
                           r.filename ? r.filename : r.path);
        return fail(r, 500);
    }
    if (is_http_status(rv)) {
        if (rv < 400 && rv != 200) {
            // A handler asked for a redirect or similar without writing it.
            r.status = rv;
            return response::finish(r);
        }
        return fail(r, rv == 200 ? 500 : rv);
    }
    log::request_error(r, MH_LOG_ERR, 0, "AH00524: Handler for %s returned invalid result code %d",
                       r.handler ? r.handler : "(none)", rv);
    fail(r, 500);
}

// Each stage does its part and moves r.stage on; a yield leaves it where it
// is. `until`: the stage at which to stop (an internal redirect stops at Log).
Progress run(mh_request &r, bool on_loop, Stage until)
{
    mh_server &s = *r.server;
    Hooks &h = s.main_server->hooks;  // hooks are process-wide; settings are the vhost's
    while (r.stage != until && r.stage != Stage::Done) {
        Outcome o{false, MH_OK};
        switch (r.stage) {
        case Stage::PostRead:
            o = run_request_hooks(r, h.post_read_request, true, on_loop);
            if (!o.yield) o.rv == MH_OK ? go(r, Stage::Quick) : fail(r, o.rv);
            break;
        case Stage::Quick:
            o = run_request_hooks(r, h.quick_handler, false, on_loop);
            if (o.yield) break;
            if (o.rv == MH_DECLINED) go(r, Stage::Translate);
            else if (o.rv == MH_OK || o.rv == MH_DONE) response::finish(r), go(r, Stage::Log);
            else fail(r, o.rv);
            break;
        case Stage::Translate:
            o = run_request_hooks(r, h.translate_name, false, on_loop);
            if (o.yield) break;
            if (o.rv == MH_DECLINED) translate_to_document_root(r);
            if (o.rv == MH_DECLINED || o.rv == MH_OK) go(r, Stage::Walk);
            else fail(r, o.rv);
            break;
        case Stage::Walk:
            // Apache answers TRACE in map_to_storage, before the walk.
            if (trace::is_trace(r)) {
                if (on_loop && trace::reads_body(r) && !r.conn->body_buffered()) return Progress::NeedsWorker;
                int rv = trace::answer(r);
                if (rv == MH_DONE) response::finish(r), go(r, Stage::Log);
                else fail(r, rv);
                break;
            }
            path_info::split(r);
            r.dir = &s.dir_config_for(r.filename ? r.filename : "", r.path);
            if (r.dir->core.handler && !r.dir->core.handler->empty()) r.handler = r.dir->core.handler->c_str();
            go(r, Stage::HeaderParser);
            break;
        case Stage::HeaderParser:
            o = run_request_hooks(r, h.header_parser, true, on_loop);
            if (!o.yield) o.rv == MH_OK ? go(r, Stage::Access) : fail(r, o.rv);
            break;
        case Stage::Access:
            o = run_request_hooks(r, h.access_checker, true, on_loop);
            if (!o.yield) o.rv == MH_OK ? go(r, Stage::AccessEx) : fail(r, o.rv);
            break;
        case Stage::AccessEx:
            // No authorization module: nothing to enforce.
            if (h.access_checker_ex.empty()) {
                go(r, Stage::Type);
                break;
            }
            o = run_request_hooks(r, h.access_checker_ex, false, on_loop);
            if (o.yield) break;
            if (o.rv == MH_OK) go(r, Stage::Type);
            else if (o.rv == MH_DECLINED) go(r, Stage::CheckUser);  // a user is needed
            else fail(r, o.rv);
            break;
        case Stage::CheckUser:
            o = run_request_hooks(r, h.check_user_id, false, on_loop);
            if (o.yield) break;
            if (o.rv == MH_OK && r.user != nullptr) {
                go(r, Stage::AuthCheck);
            } else if (o.rv == MH_OK || o.rv == MH_DECLINED) {
                log::request_error(r, MH_LOG_ERR, 0,
                                   "AH00027: No authentication done but request not allowed without authentication "
                                   "for %s. Authentication not configured?",
                                   r.path);
                fail(r, 500);
            } else {
                fail(r, o.rv);
            }
            break;
        case Stage::AuthCheck:
            o = run_request_hooks(r, h.auth_checker, false, on_loop);
            if (o.yield) break;
            if (o.rv == MH_OK) {
                go(r, Stage::Type);
            } else if (o.rv == MH_DECLINED) {
                log::request_error(r, MH_LOG_ERR, 0, "AH00025: configuration error:  couldn't check authorization: %s",
                                   r.path);
                fail(r, 500);
            } else {
                fail(r, o.rv);
            }
            break;
        case Stage::Type:
            o = run_request_hooks(r, h.type_checker, false, on_loop);
            if (!o.yield) (o.rv == MH_OK || o.rv == MH_DECLINED) ? go(r, Stage::Fixups) : fail(r, o.rv);
            break;
        case Stage::Fixups:
            o = run_request_hooks(r, h.fixups, true, on_loop);
            if (!o.yield) o.rv == MH_OK ? go(r, Stage::InsertFilter) : fail(r, o.rv);
            break;
        case Stage::InsertFilter:
            if (r.hook_next == 0 && r.dir && r.dir->core.output_filters)
                for (const std::string &name : *r.dir->core.output_filters) filters::add(r, name, nullptr);
            o = run_hooks(r, h.insert_filter, true, on_loop, [&r](mh_request_fn fn) { return fn(&r), MH_OK; });
            if (!o.yield) go(r, Stage::Handler);
            break;
        case Stage::Handler:
            // On an event loop a handler may read only a body that is all
            // here, and writes only through filters that do not block.
            if (on_loop && (!r.conn->body_buffered() || !filters::nonblocking(r))) return Progress::NeedsWorker;
            o = run_request_hooks(r, h.handler, false, on_loop);
            if (!o.yield) after_handler(r, o.rv);
            break;
        case Stage::ErrorResponse: {
            // Reading away an unread body may wait: a worker's job.
            bool unread = !r.headers_sent && !r.body_done && !r.body_failed && r.head &&
                          r.head->framing != http::BodyFraming::None;
            if (on_loop && unread && !r.conn->body_buffered()) return Progress::NeedsWorker;
            if (r.hook_next == 0) r.pending_error = error_after_discarding_body(r, r.pending_error);
            int status = r.pending_error;
            if (r.error_redirect) {
                // The ErrorDocument failed: the first error's page, with
                // Apache's note, and the first error's status. No retry.
                response::send_error(r, r.error_redirect, status);
                go(r, Stage::Log);
                break;
            }
            // Once the headers are out no other answer can be given: the
            // connection closes after what was sent.
            if (!r.headers_sent)
                o = run_hooks(r, h.error_response, false, on_loop,
                              [&r, status](mh_error_fn fn) { return fn(&r, status); });
            else o.rv = MH_DECLINED;
            if (o.yield) break;
            if (o.rv == MH_OK || o.rv == MH_DONE) response::finish(r);
            else response::send_error(r, r.pending_error);  // 500 if a redirect went past the limit
            go(r, Stage::Log);
            break;
        }
        case Stage::Log:
            if (!r.access_logged) {
                log_access(r);
                r.access_logged = true;
            }
            o = run_request_hooks(r, h.log_transaction, true, on_loop);
            if (!o.yield) {
                request_done(r);
                go(r, Stage::Done);
            }
            break;
        case Stage::Done:
            break;
        }
        if (o.yield) return Progress::NeedsWorker;
    }
    return Progress::Finished;
}

}  // namespace

void begin(mh_request &r)
{
    Connection &c = *r.conn;
    const http::RequestHead &h = c.parser().head();
    r.head = &h;
    r.start_us = scoreboard::now_us();
    r.method = h.method.data();
    r.target = h.target.data();
    r.protocol = h.protocol.data();
    r.request_line = h.request_line.data();
    r.header_only = h.method == "HEAD";
    for (const http::Header &f : h.headers) r.headers_in.add(f.name.data(), f.value.data());  // NUL-terminated views
    std::string_view host = h.target_host.data() ? h.target_host : host_without_port(h.header("Host"));
    // Apache's fix_hostname: lower case, no trailing dot; then the vhost,
    // before post_read_request.
    r.hostname = r.pool.strdup(vhost::normalize_host(host));
    r.server = choose_server(r, r.hostname);
    if (mh_slot *slot = c.slot())
        scoreboard::request_started(slot, r.request_line, c.client_text(), server_hostname(*r.server), r.protocol,
                                    r.start_us);

    std::string_view target = h.target_path.data() ? h.target_path : h.target;
    std::string_view raw_path, query;
    http::split_target(target, raw_path, query);
    if (query.data()) r.query = r.pool.strdup(query);
    go(r, Stage::PostRead);
    if (h.target == "*") {
        answer_options_star(r);
        go(r, Stage::Log);
        return;
    }
    thread_local std::string decoded;
    http::PathVerdict v = http::normalize_path(raw_path, decoded);
    r.path = r.pool.strdup(v.status ? std::string_view(raw_path) : std::string_view(decoded));
    if (v.status) fail(r, v.status);
}

Progress resume(mh_request &r, bool on_loop) { return run(r, on_loop, Stage::Done); }

void reject(mh_request &r, int status, const char *reason)
{
    Connection &c = *r.conn;
    r.start_us = scoreboard::now_us();
    r.server = choose_server(r, "");  // no usable Host: the address's default
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
    go(r, Stage::Log);
}

int internal_redirect(mh_request &r, const char *uri)
{
    if (!r.conn->blocking()) return MH_WOULD_BLOCK;
    if (uri == nullptr || uri[0] != '/') return 500;
    if (++r.redirects > kMaxRedirects) {
        log::request_error(r, MH_LOG_ERR, 0,
                           "AH00124: Request exceeded the limit of %d internal redirects due to probable configuration "
                           "error. Use 'LimitInternalRecursion' to increase the limit if necessary.",
                           kMaxRedirects);
        r.pending_error = 500;
        return 500;
    }
    // What the redirected request knows of the first one (Apache's REDIRECT_*).
    r.subprocess_env.set("REDIRECT_URL", r.path);
    r.subprocess_env.set("REDIRECT_STATUS", r.pool.strdup(std::to_string(r.pending_error ? r.pending_error : r.status)));
    if (r.query) r.subprocess_env.set("REDIRECT_QUERY_STRING", r.query);
    std::string_view raw_path, query;
    http::split_target(uri, raw_path, query);
    thread_local std::string decoded;
    if (http::normalize_path(raw_path, decoded).status) return 500;
    r.path = r.pool.strdup(decoded);
    r.query = query.data() ? r.pool.strdup(query) : nullptr;
    // A new response: the first one's headers go, err_headers_out stays.
    if (r.pending_error) r.status = r.pending_error;
    if (r.original_status == 0) r.original_status = r.status;  // %s: what the first request was answered
    r.headers_out.clear();
    r.content_type = nullptr;
    r.content_length = -1;
    r.filename = r.handler = nullptr;
    r.path_info = "";
    r.context_prefix = r.context_root = nullptr;
    r.dir = nullptr;
    r.filters.clear();
    Stage saved = r.stage;
    uint16_t saved_next = r.hook_next;
    int saved_error = r.pending_error;
    // An error's page is fetched with a GET (Apache's ap_die): a POST's
    // ErrorDocument is not a 405. The log keeps the client's method.
    const char *method = r.method;
    int answering = r.error_redirect;
    if (saved == Stage::ErrorResponse) {
        if (!r.header_only) r.method = "GET";
        r.error_redirect = saved_error;
    }
    r.pending_error = 0;
    go(r, Stage::Translate);
    run(r, false, Stage::Log);
    int ended = r.stage == Stage::Log && r.finished ? 0 : 500;
    r.method = method;
    r.error_redirect = answering;
    r.stage = saved;
    r.hook_next = saved_next;
    r.pending_error = saved_error;
    return ended;
}

}  // namespace mh::pipeline
