// mh_request: one request as the core and modules see it. One object per
// connection, reset between requests, so the steady state allocates nothing
// but what the request's pool hands out.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "pool.h"
#include "request/table.h"

struct mh_server;

namespace mh {
class Connection;
struct DirConfig;
namespace http {
struct RequestHead;
}
}  // namespace mh

struct mh_request {
    mh_request()
        : pool(16384), headers_in(&pool), notes(&pool), subprocess_env(&pool), headers_out(&pool),
          err_headers_out(&pool)
    {
    }

    mh_pool pool;
    mh_server *server = nullptr;
    mh::Connection *conn = nullptr;
    const mh::http::RequestHead *head = nullptr;

    // What was asked. C strings, valid for the request.
    const char *method = "";
    const char *target = "";
    const char *protocol = "";
    const char *request_line = "";
    const char *path = "/";          // decoded, normalised
    const char *query = nullptr;     // raw, after '?'
    const char *hostname = "";       // from the target or Host, without port
    const char *filename = nullptr;  // set by translate_name
    const char *handler = nullptr;   // SetHandler in force
    mh_table headers_in;             // the request's headers, as modules may change them
    mh_table notes;                  // between modules, for this request
    mh_table subprocess_env;         // SetEnvIf, CGI's environment
    const mh::DirConfig *dir = nullptr;
    bool header_only = false;        // HEAD
    int64_t start_us = 0;
    unsigned keepalive_count = 0;    // requests before this one on the connection

    // The response.
    int status = 200;
    int original_status = 0;         // before an error page replaced it
    const char *content_type = nullptr;
    int64_t content_length = -1;
    mh_table headers_out;
    mh_table err_headers_out;        // kept on error pages too (Apache's err_headers_out)
    bool headers_sent = false;
    bool chunked = false;
    bool keep_alive = false;         // decided when the headers go out
    uint64_t body_sent = 0;          // body bytes (for %b)
    uint64_t bytes_out = 0;          // everything written, headers included
    bool response_refused = false;   // a header could split the response: a 500 went instead
    bool sending_error = false;      // send_error is writing its page

    // The request body.
    bool continue_sent = false;
    bool body_started = false;
    bool body_done = false;
    bool body_failed = false;

    // Clears everything for the next request on the connection.
    void reset();
};

// LimitRequestBody in force for the request (0: none): the directory's,
// once the request is mapped, else the server's.
uint64_t body_limit(const mh_request &r);
