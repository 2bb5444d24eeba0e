#include "request/response.h"

#include <strings.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

#include "connection/connection.h"
#include "logging.h"
#include "http/head_rules.h"
#include "http/http_date.h"
#include "http/status.h"
#include "request/error_page.h"
#include "request/filters.h"
#include "scoreboard.h"
#include "server.h"
#include "server_identity.h"

namespace mh::response {
namespace {

constexpr uint64_t kKeepWithUnreadBody = 1 << 20;
constexpr int64_t kReadSmallFile = 32768;  // below this, pread beats a separate sendfile

bool without_body(int status) { return status < 200 || status == 204 || status == 304; }

void append_number(std::string &out, uint64_t v, int base = 10)
{
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, base);
    out.append(buf, end);
}

bool decide_keep_alive(mh_request &r)
{
    Connection &c = *r.conn;
    const CoreServerConfig &core = r.server->core;
    if (r.head == nullptr || !r.head->keep_alive || !core.keep_alive || c.stopping() || c.aborted())
        return false;
    if (core.max_keep_alive_requests > 0 && c.requests_served() + 1 >= unsigned(core.max_keep_alive_requests))
        return false;
    if (r.head->framing != http::BodyFraming::None && !r.body_done) {
        // What the handler left unread is read and dropped later, if it is small.
        if (r.body_failed) return false;
        if (r.head->expect_continue && !r.continue_sent) return false;
        if (r.head->framing == http::BodyFraming::Chunked) return false;
        if (r.head->content_length - c.parser().body_received() > kKeepWithUnreadBody) return false;
        // Over LimitRequestBody: it will not be read to make room for the next request.
        uint64_t limit = body_limit(r);
        if (limit != 0 && r.head->content_length > limit) return false;
    }
    return true;
}

bool is_token(const char *s)
{
    if (*s == '\0') return false;
    for (; *s; ++s)
        if (!http::is_tchar(static_cast<unsigned char>(*s))) return false;
    return true;
}

// Field content: no CR, LF or other control character but HTAB (a NUL
// cannot get past a C string). One CR LF from a module would let whoever
// chose the value add headers of their own, or a whole second response.
bool is_field_value(const char *s)
{
    for (; *s; ++s)
        if (!http::is_field_value_byte(static_cast<unsigned char>(*s))) return false;
    return true;
}

// Apache's check_headers (AH02429, AH02430): every header a module set is
// checked before any goes out; one that could split the response makes it
// a 500 instead, whoever set it.
bool table_is_safe(mh_request &r, const mh_table &t)
{
    for (const auto &[name, value] : t.entries) {
        if (!is_token(name)) {
            log::request_error(r, MH_LOG_ERR, 0, "AH02429: Response header name '%s' contains invalid characters, aborting request",
                               name);
            return false;
        }
        if (!is_field_value(value)) {
            log::request_error(r, MH_LOG_ERR, 0,
                               "AH02430: Response header '%s' value of '%s' contains invalid characters, aborting request",
                               name, value);
            return false;
        }
    }
    return true;
}

// Apache's check_headers (AH02429, AH02430): every header a module set is
// checked before any goes out; one that could split the response makes it
// a 500 instead, whoever set it.
bool headers_are_safe(mh_request &r)
{
    if (!table_is_safe(r, r.headers_out) || !table_is_safe(r, r.err_headers_out)) return false;
    if (r.content_type && !is_field_value(r.content_type)) {
        log::request_error(r, MH_LOG_ERR, 0,
                           "AH02430: Response header 'Content-Type' value of '%s' contains invalid characters, aborting request",
                           r.content_type);
        return false;
    }
    return true;
}

// AddDefaultCharset, as Apache's ap_make_content_type: text/plain and
// text/html without a charset parameter get the configured one.
void append_default_charset(std::string &head, const mh_request &r)
{
    const auto &charset = (r.dir ? r.dir->core : r.server->root_dir).add_default_charset;
    if (!charset || charset->empty()) return;
    std::string_view type = r.content_type;
    if (strncasecmp(type.data(), "text/plain", 10) != 0 && strncasecmp(type.data(), "text/html", 9) != 0) return;
    if (strcasestr(r.content_type, "charset=") != nullptr) return;
    head += "; charset=";
    head += *charset;
}

void append_headers(std::string &head, const mh_table &t)
{
    for (const auto &[name, value] : t.entries) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
}

}  // namespace

void send_headers(mh_request &r)
{
    if (r.headers_sent) return;
    if (!headers_are_safe(r)) {
        // None of them goes out: the 500 page carries only its own.
        r.headers_out.clear();
        r.err_headers_out.clear();
        r.content_type = nullptr;
        r.response_refused = true;
        send_error(r, 500);
        return;
    }
    r.headers_sent = true;
    bool http11 = r.head == nullptr || r.head->version() >= 1001;
    bool keep = decide_keep_alive(r);
    bool body_allowed = !without_body(r.status);
    if (body_allowed && !r.header_only && r.content_length < 0) {
        if (http11) r.chunked = true;
        else keep = false;  // HTTP/1.0 without a length: the close ends the body
    }
    r.keep_alive = keep;

    thread_local std::string head;
    head.clear();
    head += "HTTP/1.1 ";
    append_number(head, static_cast<uint64_t>(r.status));
    head += ' ';
    head += http::reason_phrase(r.status);
    head += "\r\nDate: ";
    head += http::current_http_date();
    head += "\r\nServer: ";
    head += server_banner(*r.server);
    head += "\r\n";
    append_headers(head, r.headers_out);
    append_headers(head, r.err_headers_out);
    if (body_allowed) {
        if (r.content_type) {
            head += "Content-Type: ";
            head += r.content_type;
            append_default_charset(head, r);
            head += "\r\n";
        }
        if (r.chunked) {
            head += "Transfer-Encoding: chunked\r\n";
        } else if (r.content_length >= 0) {
            head += "Content-Length: ";
            append_number(head, static_cast<uint64_t>(r.content_length));
            head += "\r\n";
        }
    }
    if (!keep) head += "Connection: close\r\n";
    else if (!http11) head += "Connection: keep-alive\r\n";
    head += "\r\n";
    r.bytes_out += head.size();
    if (r.conn->slot()) r.conn->slot()->state.store(MH_WORKER_WRITE, std::memory_order_relaxed);
    r.conn->send(head);
}

// The end of the filter chain: HTTP framing (length or chunks) onto the
// connection. The first bytes, or the end, send the headers.
int sink_write(mh_request &r, std::string_view data)
{
    send_headers(r);
    Connection &c = *r.conn;
    if (r.response_refused && !r.sending_error) return -1;  // the module's body has no place in the 500
    if (r.header_only || without_body(r.status) || data.empty()) return c.aborted() ? -1 : 0;
    if (!r.chunked && r.content_length >= 0) {
        // Never send more than the announced length: that would corrupt the
        // next response on this connection.
        uint64_t room = static_cast<uint64_t>(r.content_length) - r.body_sent;
        if (data.size() > room) data = data.substr(0, room);
    }
    bool ok;
    if (r.chunked) {
        thread_local std::string size;
        size.clear();
        append_number(size, data.size(), 16);
        size += "\r\n";
        ok = c.send_pair(size, data) && c.send("\r\n");
        r.bytes_out += size.size() + 2;
    } else {
        ok = c.send(data);
    }
    r.body_sent += data.size();
    r.bytes_out += data.size();
    return ok ? 0 : -1;
}

void sink_end(mh_request &r)
{
    if (r.finished) return;
    r.finished = true;
    if (!r.headers_sent) {
        if (r.content_length < 0) r.content_length = 0;
        send_headers(r);
    }
    if (r.header_only || without_body(r.status)) return;
    if (r.chunked) {
        r.conn->send("0\r\n\r\n");
        r.bytes_out += 5;
    } else if (r.content_length >= 0 && r.body_sent < static_cast<uint64_t>(r.content_length)) {
        // The handler sent less than it announced: only a close tells the client.
        r.keep_alive = false;
    }
}

int write(mh_request &r, std::string_view data)
{
    if (r.finished) return -1;
    if (filters::active(r)) {
        if (r.header_only || data.empty()) return r.conn->aborted() ? -1 : 0;
        return filters::pass(r, nullptr, data, false);
    }
    return sink_write(r, data);
}

int send_file(mh_request &r, int fd, int64_t offset, int64_t length)
{
    if (r.finished) return -1;
    Connection &c = *r.conn;
    if (filters::active(r)) {
        // Filters see bytes: the file goes through them a piece at a time.
        thread_local std::string piece;
        piece.resize(65536);
        while (length > 0 && !r.header_only) {
            ssize_t got = pread(fd, piece.data(), size_t(std::min<int64_t>(length, int64_t(piece.size()))), offset);
            if (got <= 0) return -1;
            if (write(r, std::string_view(piece.data(), size_t(got))) != 0) return -1;
            offset += got;
            length -= got;
        }
        return c.aborted() ? -1 : 0;
    }
    send_headers(r);
    if (r.response_refused) return -1;
    if (r.header_only || without_body(r.status) || length <= 0) return c.aborted() ? -1 : 0;
    if (length <= kReadSmallFile) {
        // One copy of a small file is cheaper than a second system call, and
        // lets pipelined responses leave in one write.
        char buf[kReadSmallFile];
        ssize_t got = pread(fd, buf, static_cast<size_t>(length), offset);
        if (got != length) return -1;
        return sink_write(r, std::string_view(buf, static_cast<size_t>(got)));
    }
    bool ok;
    if (r.chunked) {
        char size[24];
        int n = snprintf(size, sizeof size, "%llx\r\n", static_cast<unsigned long long>(length));
        ok = c.send(std::string_view(size, size_t(n))) && c.send_file(fd, offset, length) && c.send("\r\n");
        r.bytes_out += size_t(n) + 2;
    } else {
        ok = c.send_file(fd, offset, length);
    }
    r.body_sent += static_cast<uint64_t>(length);
    r.bytes_out += static_cast<uint64_t>(length);
    return ok ? 0 : -1;
}

int flush(mh_request &r) { return r.conn->flush() ? 0 : -1; }

void finish(mh_request &r)
{
    if (r.finished) return;
    if (filters::active(r) && !r.eos_sent) {
        r.eos_sent = true;
        filters::pass(r, nullptr, {}, true);  // ends in sink_end
    }
    sink_end(r);
}

void send_error(mh_request &r, int status, int recursive_error)
{
    if (r.finished) return;
    if (r.headers_sent) {
        r.keep_alive = false;
        finish(r);
        return;
    }
    if (r.original_status == 0) r.original_status = status;
    r.status = status;
    // Keep only what belongs to the error itself, and err_headers_out
    // (which Header always and modules set for every response).
    std::erase_if(r.headers_out.entries, [](const mh_table::Entry &h) {
        for (const char *keep : {"Allow", "Location", "WWW-Authenticate", "Retry-After", "Content-Range"})
            if (strcasecmp(h.first, keep) == 0) return false;
        return true;
    });
    std::string body = error_page(r, status, recursive_error);
    r.content_type = "text/html; charset=iso-8859-1";
    r.content_length = static_cast<int64_t>(body.size());
    r.chunked = false;
    r.sending_error = true;
    r.filters_off = true;  // the error page goes out as it is
    sink_write(r, body);
    r.sending_error = false;
    sink_end(r);
}

}  // namespace mh::response
