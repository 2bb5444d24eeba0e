// Rendering a compiled LogFormat for one request: the hot path, so values
// are appended straight into the caller's buffer with no temporaries.
#include <charconv>
#include <ctime>
#include <strings.h>

#include "log/escape.h"
#include "log/log_format_item.h"
#include "log/time_cache.h"

namespace mh::log {
namespace {

using Item = LogFormat::Item;
using Kind = Item::Kind;

template <typename T>
void append_number(std::string &out, T value, int base = 10) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value, base);
    out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

// Zero-padded to `width` digits (the msec_frac / usec_frac forms).
void append_padded(std::string &out, int64_t value, std::size_t width) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    std::size_t n = static_cast<std::size_t>(res.ptr - buf);
    if (n < width) out.append(width - n, '0');
    out.append(buf, n);
}

// A client-supplied value: escaped, "-" when absent.
void append_value(std::string &out, std::string_view v) {
    if (v.empty()) out.push_back('-');
    else detail::append_escaped(out, v);
}

void append_header(std::string &out, const char *(*get)(const void *, std::string_view),
                   const void *ctx, std::string_view name) {
    const char *v = get ? get(ctx, name) : nullptr;
    if (v) detail::append_escaped(out, v);
    else out.push_back('-');
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// %{name}C as log_cookie: "a=1; b=2", names case-insensitive, empty values skipped.
void append_cookie(std::string &out, const RequestFacts &f, std::string_view name) {
    const char *header = f.header_in ? f.header_in(f.header_ctx, "Cookie") : nullptr;
    std::string_view rest = header ? header : "";
    while (!rest.empty()) {
        std::size_t semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size()) continue;
        std::string_view n = trim(pair.substr(0, eq));
        if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) {
            detail::append_escaped(out, trim(pair.substr(eq + 1)));
            return;
        }
    }
    out.push_back('-');
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

void append_time(std::string &out, const Item &it, const RequestFacts &f) {
    int64_t us = f.start_us + (it.end_time ? f.duration_us : 0);
    int64_t sec = floor_div(us, 1000000);
    switch (it.kind) {
    case Kind::time_clf: out.append(detail::clf_time(static_cast<std::time_t>(sec))); return;
    case Kind::time_sec: append_number(out, sec); return;
    case Kind::time_msec: append_number(out, floor_div(us, 1000)); return;
    case Kind::time_usec: append_number(out, us); return;
    case Kind::time_msec_frac: append_padded(out, us / 1000 % 1000, 3); return;
    case Kind::time_usec_frac: append_padded(out, us % 1000000, 6); return;
    default: break;
    }
    const std::tm &tm = detail::local_time(static_cast<std::time_t>(sec));
    char buf[512];
    std::size_t n = std::strftime(buf, sizeof buf, it.text.c_str(), &tm);
    out.append(buf, n);
}

// process_item's status condition: the value shows only when the final
// status is (or, with '!', is not) one of the listed ones.
bool condition_holds(const Item &it, int status) {
    bool listed = false;
    for (int s : it.statuses) listed = listed || s == status;
    return listed != it.negate;
}

void append_item(std::string &out, const Item &it, const RequestFacts &f) {
    switch (it.kind) {
    case Kind::literal: out.append(it.text); break;
    case Kind::dash: out.push_back('-'); break;
    case Kind::client_ip: out.append(f.client_ip.empty() ? "-" : f.client_ip); break;
    case Kind::remote_host: append_value(out, f.client_ip); break;
    case Kind::local_ip: out.append(f.local_ip.empty() ? "-" : f.local_ip); break;
    case Kind::body_bytes_clf:
        if (f.body_bytes == 0) out.push_back('-');
        else append_number(out, f.body_bytes);
        break;
    case Kind::body_bytes: append_number(out, f.body_bytes); break;
    case Kind::cookie: append_cookie(out, f, it.text); break;
    case Kind::duration_us: append_number(out, f.duration_us); break;
    case Kind::duration_ms: append_number(out, f.duration_us / 1000); break;
    case Kind::duration_s: append_number(out, f.duration_us / 1000000); break;
    case Kind::filename: append_value(out, f.filename); break;
    case Kind::protocol: append_value(out, f.protocol); break;
    case Kind::header_in: append_header(out, f.header_in, f.header_ctx, it.text); break;
    case Kind::header_out: append_header(out, f.header_out, f.header_ctx, it.text); break;
    case Kind::env: append_header(out, f.env, f.header_ctx, it.text); break;
    case Kind::note: append_header(out, f.note, f.header_ctx, it.text); break;
    case Kind::conn_var: append_header(out, f.conn_var, f.header_ctx, it.text); break;
    case Kind::keepalives: append_number(out, f.keepalive_count); break;
    case Kind::method: append_value(out, f.method); break;
    case Kind::local_port: append_number(out, f.local_port); break;
    case Kind::remote_port: append_number(out, f.client_port); break;
    case Kind::pid: append_number(out, f.pid); break;
    case Kind::tid: append_number(out, f.tid); break;
    case Kind::hextid: append_number(out, f.tid, 16); break;
    case Kind::query: detail::append_escaped(out, f.query); break;  // "" when none
    case Kind::request_line: append_value(out, f.request_line); break;
    case Kind::handler: append_value(out, f.handler); break;
    case Kind::status: {
        int status = it.want_orig ? f.original_status : f.final_status;
        if (status <= 0) out.push_back('-');
        else append_number(out, status);
        break;
    }
    case Kind::time_clf: case Kind::time_strftime: case Kind::time_sec: case Kind::time_msec:
    case Kind::time_usec: case Kind::time_msec_frac: case Kind::time_usec_frac:
        append_time(out, it, f);
        break;
    case Kind::remote_user: append_value(out, f.remote_user); break;
    case Kind::url_path: append_value(out, f.path); break;
    case Kind::vhost: append_value(out, f.vhost); break;
    case Kind::server_name: append_value(out, f.server_name); break;
    case Kind::conn_status: out.push_back(f.connection_status); break;
    case Kind::bytes_in: append_number(out, f.bytes_in); break;
    case Kind::bytes_out: append_number(out, f.bytes_out); break;
    case Kind::bytes_total: append_number(out, f.bytes_in + f.bytes_out); break;
    }
}

}  // namespace

void LogFormat::render(const RequestFacts &facts, std::string &out) const {
    out.reserve(out.size() + 256);  // a no-op once the caller's buffer has grown
    for (const auto &p : items_) {
        const Item &it = *p;
        if (!it.statuses.empty() && !condition_holds(it, facts.final_status)) out.push_back('-');
        else append_item(out, it, facts);
    }
}

}  // namespace mh::log
