#include "http/head_rules.h"

#include <http_parser.h>

#include <array>
#include <cstring>

namespace mh::http {
namespace {


std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Calls fn for each non-empty element of a comma-separated list.
template <typename Fn>
void for_each_element(std::string_view list, Fn fn)
{
    while (!list.empty()) {
        size_t comma = list.find(',');
        std::string_view item = trim(list.substr(0, comma));
        if (!item.empty()) fn(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

// Host: uri-host [ ":" port ], reg-name or IP literal characters only.
bool valid_host(std::string_view h)
{
    for (unsigned char c : h) {
        bool ok = kTokenBytes[c] || c == '.' || c == ':' || c == '[' || c == ']' || c == '%' ||
                  c == '(' || c == ')' || c == ',' || c == ';' || c == '=';
        if (!ok || c == '|' || c == '`' || c == '^' || c == '#') return false;
    }
    return true;
}

Verdict reject(int status, const char *reason) { return Verdict{status, reason}; }

}  // namespace


Verdict check_semantics(RequestHead &head, uint64_t body_limit)
{
    int hosts = 0, lengths = 0, chunked = 0;
    bool transfer_encoding = false, unknown_coding = false, chunked_last = false;
    bool close = false, keep_alive = false, bad_expect = false;
    std::string_view host, length;

    for (const Header &h : head.headers) {
        switch (h.name.size()) {
        case 4:
            if (iequals(h.name, "host")) { ++hosts; host = h.value; }
            break;
        case 6:
            if (iequals(h.name, "expect"))
                // A list (RFC 9110 10.1.1): each element must be one we meet;
                // an empty one expects nothing.
                for_each_element(h.value, [&](std::string_view e) {
                    if (iequals(e, "100-continue")) head.expect_continue = true;
                    else bad_expect = true;
                });
            break;
        case 10:
            if (iequals(h.name, "connection"))
                for_each_element(h.value, [&](std::string_view t) {
                    if (iequals(t, "close")) close = true;
                    else if (iequals(t, "keep-alive")) keep_alive = true;
                });
            break;
        case 14:
            if (iequals(h.name, "content-length")) { ++lengths; length = h.value; }
            break;
        case 17:
            if (iequals(h.name, "transfer-encoding")) {
                transfer_encoding = true;
                for_each_element(h.value, [&](std::string_view coding) {
                    chunked_last = iequals(coding, "chunked");
                    if (chunked_last) ++chunked;
                    else unknown_coding = true;
                });
            }
            break;
        default:
            break;
        }
    }

    bool http11 = head.version() >= 1001;
    if (http11 && hosts == 0) return reject(400, "missing Host header");
    if (hosts > 1) return reject(400, "more than one Host header");
    if (!valid_host(host)) return reject(400, "invalid Host header");

    if (transfer_encoding) {
        if (!http11) return reject(400, "Transfer-Encoding in an HTTP/1.0 request");
        if (lengths) return reject(400, "both Content-Length and Transfer-Encoding");
        if (chunked > 1 || (chunked == 1 && !chunked_last))
            return reject(400, "chunked is not the final transfer coding");
        if (unknown_coding) return reject(501, "unknown transfer coding");
        if (chunked == 0) return reject(400, "empty Transfer-Encoding");
        head.framing = BodyFraming::Chunked;
    } else if (lengths) {
        if (lengths > 1) return reject(400, "more than one Content-Length");
        if (length.empty() || length.size() > 18) return reject(400, "invalid Content-Length");
        uint64_t n = 0;
        for (char c : length) {
            if (c < '0' || c > '9') return reject(400, "invalid Content-Length");
            n = n * 10 + static_cast<uint64_t>(c - '0');
        }
        head.content_length = n;
        if (n > 0) head.framing = BodyFraming::Length;
        if (body_limit != 0 && n > body_limit) return reject(413, "body larger than LimitRequestBody");
    }

    if (bad_expect) return reject(417, "unsupported Expect");
    if (!http11) head.expect_continue = false;  // RFC 9110: ignore it from HTTP/1.0
    head.keep_alive = !close && (http11 || keep_alive);

    std::string_view t = head.target;
    if (t == "*") {
        if (head.method != "OPTIONS") return reject(400, "'*' target outside OPTIONS");
    } else if (head.method == "CONNECT") {
        return reject(501, "CONNECT is not supported");
    } else if (t.front() != '/') {
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(t.data(), t.size(), 0, &url) != 0 ||
            !(url.field_set & (1 << UF_SCHEMA)) || !(url.field_set & (1 << UF_HOST)))
            return reject(400, "invalid absolute-form target");
        auto field = [&](int f) {
            return t.substr(url.field_data[f].off, url.field_data[f].len);
        };
        std::string_view scheme = field(UF_SCHEMA);
        if (!iequals(scheme, "http") && !iequals(scheme, "https"))
            return reject(400, "unsupported scheme in target");
        // RFC 9110 4.2.4: userinfo in an http(s) URI is an error; it only
        // serves to make "http://trusted@evil/" look like something else.
        if (url.field_set & (1 << UF_USERINFO)) return reject(400, "userinfo in target");
        head.target_host = field(UF_HOST);
        // Path and query; without a path, "/" (RFC 9110 4.2.3), and with a
        // query but no path ("http://h?x=1", or an empty one: "http://h?")
        // the "?x=1" here gets its "/" in terminate_views, which has the
        // storage for it. (No '?' can come before the path: userinfo is
        // refused above.)
        size_t query = t.find('?');
        if (url.field_set & (1 << UF_PATH)) head.target_path = t.substr(url.field_data[UF_PATH].off);
        else if (query != std::string_view::npos) head.target_path = t.substr(query);
        else head.target_path = "/";
    }
    // RFC 9112 3.2: an HTTP/1.1 request names its authority, in the target
    // or in Host; an empty Host is then invalid (Apache and nginx: 400).
    if (http11 && host.empty() && head.target_host.empty()) return reject(400, "empty Host header");
    return {};
}

void terminate_views(std::string &storage, RequestHead &head)
{
    auto end_with_nul = [](std::string_view v) { const_cast<char &>(v.data()[v.size()]) = '\0'; };
    size_t at = storage.size();
    storage.append(head.request_line);  // capacity reserved by the caller: views stay put
    storage.push_back('\0');
    end_with_nul(head.method);
    end_with_nul(head.target);
    end_with_nul(head.protocol);
    for (const Header &h : head.headers) {
        end_with_nul(h.name);
        end_with_nul(h.value);
    }
    head.request_line = std::string_view(storage.data() + at, head.request_line.size());
    if (!head.target_path.empty() && head.target_path.front() != '/') {
        size_t path_at = storage.size();
        storage.push_back('/');
        storage.append(head.target_path);
        storage.push_back('\0');
        head.target_path = std::string_view(storage.data() + path_at, head.target_path.size() + 1);
    }
}

}  // namespace mh::http
