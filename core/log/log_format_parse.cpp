// Compiling a LogFormat string, following mod_log_config's parse_log_item:
// modifiers (! < > , digits {arg}) in any order, then one directive letter.
#include <cstring>
#include <stdexcept>
#include <strings.h>

#include "log/log_format_item.h"

namespace mh::log {
namespace {

using Item = LogFormat::Item;
using Kind = Item::Kind;

bool iequals(std::string_view a, const char *b) {
    return a.size() == std::strlen(b) && strncasecmp(a.data(), b, a.size()) == 0;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Literal text up to the next '%', with mod_log_config's escapes
// (\\ \r \n \t; we also take \"); any other backslash stays as it is.
std::size_t parse_literal(std::string_view f, std::size_t i, std::string &out) {
    while (i < f.size() && f[i] != '%') {
        char c = f[i++];
        if (c != '\\' || i == f.size()) {
            out.push_back(c);
            continue;
        }
        switch (f[i]) {
        case '\\': out.push_back('\\'); ++i; break;
        case 'r': out.push_back('\r'); ++i; break;
        case 'n': out.push_back('\n'); ++i; break;
        case 't': out.push_back('\t'); ++i; break;
        case '"': out.push_back('"'); ++i; break;
        default: out.push_back('\\'); break;  // the next char is read normally
        }
    }
    return i;
}

// %{..}t: log_request_time's begin:/end: prefixes and special formats.
void decode_time(Item &it) {
    std::string_view fmt = it.text;
    for (std::string_view prefix : {std::string_view("begin"), std::string_view("end")}) {
        if (!starts_with(fmt, prefix)) continue;
        std::string_view rest = fmt.substr(prefix.size());
        if (rest.empty() || rest[0] == ':') {
            it.end_time = prefix == "end";
            fmt = rest.empty() ? rest : rest.substr(1);
        }
        break;
    }
    it.kind = Kind::time_strftime;
    if (fmt.empty()) it.kind = Kind::time_clf;
    else if (fmt == "sec") it.kind = Kind::time_sec;
    else if (fmt == "msec") it.kind = Kind::time_msec;
    else if (fmt == "usec") it.kind = Kind::time_usec;
    else if (fmt == "msec_frac") it.kind = Kind::time_msec_frac;
    else if (fmt == "usec_frac") it.kind = Kind::time_usec_frac;
    it.text = std::string(fmt);
}

// Sets kind (and decodes the argument) for directive letter `c`; false if unknown.
bool decode_letter(char c, Item &it) {
    const std::string &a = it.text;
    switch (c) {
    case 'a': it.kind = Kind::client_ip; break;
    case 'A': it.kind = Kind::local_ip; break;
    case 'b': it.kind = Kind::body_bytes_clf; break;
    case 'B': it.kind = Kind::body_bytes; break;
    case 'C': it.kind = Kind::cookie; break;
    case 'D': it.kind = Kind::duration_us; break;
    case 'e': it.kind = Kind::env; break;
    case 'n': it.kind = Kind::note; break;
    case 'l': case 'L': it.kind = Kind::dash; break;
    case 'f': it.kind = Kind::filename; break;
    case 'h': it.kind = Kind::remote_host; break;
    case 'H': it.kind = Kind::protocol; break;
    case 'i': it.kind = Kind::header_in; break;
    case 'I': it.kind = Kind::bytes_in; break;
    case 'k': it.kind = Kind::keepalives; break;
    case 'm': it.kind = Kind::method; break;
    case 'o': it.kind = Kind::header_out; break;
    case 'O': it.kind = Kind::bytes_out; break;
    case 'q': it.kind = Kind::query; break;
    case 'r': it.kind = Kind::request_line; break;
    case 'R': it.kind = Kind::handler; break;
    case 's': it.kind = Kind::status; break;
    case 'S': it.kind = Kind::bytes_total; break;
    case 't': decode_time(it); break;
    case 'u': it.kind = Kind::remote_user; break;
    case 'U': it.kind = Kind::url_path; break;
    case 'v': it.kind = Kind::vhost; break;
    case 'V': it.kind = Kind::server_name; break;
    case 'X': it.kind = Kind::conn_status; break;
    case 'x': it.kind = Kind::conn_var; break;
    case 'p':
        if (a.empty() || iequals(a, "canonical") || iequals(a, "local")) it.kind = Kind::local_port;
        else if (iequals(a, "remote")) it.kind = Kind::remote_port;
        else it.kind = Kind::literal;  // Apache logs a bogus argument as is
        break;
    case 'P':
        if (a.empty() || iequals(a, "pid")) it.kind = Kind::pid;
        else if (iequals(a, "tid")) it.kind = Kind::tid;
        else if (iequals(a, "hextid")) it.kind = Kind::hextid;
        else it.kind = Kind::literal;
        break;
    case 'T':
        if (a.empty() || iequals(a, "s")) it.kind = Kind::duration_s;
        else if (iequals(a, "ms")) it.kind = Kind::duration_ms;
        else if (iequals(a, "us")) it.kind = Kind::duration_us;
        else it.kind = Kind::literal;
        break;
    default: return false;
    }
    return true;
}

// One %-directive starting after the '%'; returns the index past it.
std::size_t parse_directive(std::string_view f, std::size_t i, Item &it) {
    int want_orig = -1;
    while (i < f.size()) {
        char c = f[i];
        switch (c) {
        case '!': it.negate = !it.negate; ++i; continue;
        case '<': want_orig = 1; ++i; continue;
        case '>': want_orig = 0; ++i; continue;
        case ',': ++i; continue;
        case '{': {
            // As ap_getword: up to '}', or the rest of the string without one.
            std::size_t close = f.find('}', i + 1);
            std::size_t end = close == std::string_view::npos ? f.size() : close;
            it.text = std::string(f.substr(i + 1, end - i - 1));
            i = close == std::string_view::npos ? f.size() : close + 1;
            continue;
        }
        default: break;
        }
        if (c >= '0' && c <= '9') {
            int status = 0;
            while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
                if (status < 100000) status = status * 10 + (f[i] - '0');  // no overflow
                ++i;
            }
            it.statuses.push_back(status);
            continue;
        }
        // Apache's only three-character directives are ^ti and ^to (trailers).
        if (c == '^' && (f.substr(i, 3) == "^ti" || f.substr(i, 3) == "^to")) {
            it.kind = Kind::dash;
            return i + 3;
        }
        if (!decode_letter(c, it))
            throw std::invalid_argument(std::string("Unrecognized LogFormat directive %") + c);
        // Only %s looks at the original request by default.
        it.want_orig = want_orig == -1 ? it.kind == Kind::status : want_orig == 1;
        return i + 1;
    }
    throw std::invalid_argument("Ran off end of LogFormat parsing args to some directive");
}

}  // namespace

LogFormat::LogFormat(std::string_view format) {
    std::string literal;  // adjacent literal text (and %%) becomes one item
    auto flush = [&] {
        if (literal.empty()) return;
        auto it = std::make_shared<Item>();
        it->text = std::move(literal);
        items_.push_back(std::move(it));
        literal.clear();
    };
    std::size_t i = 0;
    while (i < format.size()) {
        if (format[i] != '%') {
            i = parse_literal(format, i, literal);
        } else if (i + 1 < format.size() && format[i + 1] == '%') {
            literal.push_back('%');
            i += 2;
        } else {
            auto it = std::make_shared<Item>();
            i = parse_directive(format, i + 1, *it);
            if (it->kind == Kind::literal && it->statuses.empty()) {
                literal += it->text;  // a bogus argument shown as is
                continue;
            }
            flush();
            items_.push_back(std::move(it));
        }
    }
    flush();
}

const char *builtin_format(std::string_view nickname) {
    if (nickname == "common") return "%h %l %u %t \"%r\" %>s %b";
    if (nickname == "combined")
        return "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"";
    if (nickname == "vhost_combined")
        return "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"";
    if (nickname == "referer") return "%{Referer}i -> %U";
    if (nickname == "agent") return "%{User-agent}i";
    return nullptr;
}

}  // namespace mh::log
