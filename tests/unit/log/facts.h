// A filled-in RequestFacts with header tables, for the LogFormat tests.
#pragma once

#include <string>
#include <strings.h>
#include <utility>
#include <vector>

#include "log/access_log.h"

namespace mh::test {

struct Headers {
    std::vector<std::pair<std::string, std::string>> in, out;
};

inline const char *find_header(const std::vector<std::pair<std::string, std::string>> &list,
                               std::string_view name) {
    for (const auto &[k, v] : list) {
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0)
            return v.c_str();
    }
    return nullptr;
}

// One GET / from curl at 2026-11-27 16:21:25.123456 UTC, taking 1.234567 s.
inline log::RequestFacts sample_facts(const Headers &h) {
    log::RequestFacts f;
    f.client_ip = "127.0.0.1";
    f.client_port = 54321;
    f.local_ip = "127.0.0.2";
    f.local_port = 8080;
    f.start_us = 1795796485123456;
    f.duration_us = 1234567;
    f.request_line = "GET /index.html?a=1 HTTP/1.1";
    f.method = "GET";
    f.path = "/index.html";
    f.query = "?a=1";
    f.protocol = "HTTP/1.1";
    f.server_name = "www.example.com";
    f.vhost = "www.example.com";
    f.filename = "/srv/htdocs/index.html";
    f.handler = "static";
    f.original_status = 200;
    f.final_status = 200;
    f.body_bytes = 1234;
    f.bytes_in = 78;
    f.bytes_out = 1500;
    f.keepalive_count = 3;
    f.connection_status = '+';
    f.pid = 4242;
    f.tid = 255;
    f.header_in = [](const void *ctx, std::string_view name) {
        return find_header(static_cast<const Headers *>(ctx)->in, name);
    };
    f.header_out = [](const void *ctx, std::string_view name) {
        return find_header(static_cast<const Headers *>(ctx)->out, name);
    };
    f.header_ctx = &h;
    return f;
}

inline std::string render(std::string_view format, const log::RequestFacts &f) {
    std::string out;
    log::LogFormat(format).render(f, out);
    return out;
}

}  // namespace mh::test
