// One parsed request head: request line and header fields.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mh::http {

struct Header {
    std::string_view name;   // as sent; each view's data() is NUL-terminated
    std::string_view value;  // surrounding whitespace removed
};

enum class BodyFraming { None, Length, Chunked };

struct RequestHead {
    std::string_view request_line;  // without CRLF
    std::string_view method;
    std::string_view target;        // request-target as sent
    std::string_view protocol;      // "HTTP/1.1"
    int method_id = -1;             // http_parser's enum http_method
    int major = 1, minor = 1;
    std::vector<Header> headers;

    BodyFraming framing = BodyFraming::None;
    uint64_t content_length = 0;    // with BodyFraming::Length
    bool keep_alive = false;        // what the client asked for (version + Connection)
    bool expect_continue = false;

    // Authority-form parts of the target, when it was absolute-form
    // ("http://host:port/path"); empty otherwise.
    std::string_view target_host;
    std::string_view target_path;   // path + query of an absolute-form target ("/" when no path)

    // First value of a header, any case; empty view with data()==nullptr when absent.
    std::string_view header(std::string_view name) const;
    int version() const { return major * 1000 + minor; }

    void clear();
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace mh::http
