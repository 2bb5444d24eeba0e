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
struct mh_filter;

namespace mh {
class Connection;
struct DirConfig;
namespace http {
struct RequestHead;
}

// Where a request is in the pipeline (pipeline.cpp): each stage is one of
// Apache's phases. A request that leaves the event loop for a worker thread
// resumes at the same stage and hook.
enum class Stage : uint8_t {
    PostRead, Quick, Translate, Walk, HeaderParser, Access, AccessEx, CheckUser, AuthCheck, Type, Fixups,
    InsertFilter, Handler, ErrorResponse, Log, Done,
};
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
    const char *path_info = "";     // what followed an existing file in filename (the walk)
    const char *context_prefix = nullptr;  // an Alias's URL prefix (set_context_info)
    const char *context_root = nullptr;    // and its directory, in place of DocumentRoot
    const char *handler = nullptr;   // SetHandler in force
    const char *user = nullptr;      // set by authentication (check_user_id)
    mh_table headers_in;             // the request's headers, as modules may change them
    mh_table notes;                  // between modules, for this request
    mh_table subprocess_env;         // SetEnvIf, CGI's environment
    const mh::DirConfig *dir = nullptr;
    bool header_only = false;        // HEAD
    int64_t start_us = 0;
    unsigned keepalive_count = 0;    // requests before this one on the connection

    // Where it is in the pipeline.
    mh::Stage stage = mh::Stage::PostRead;
    uint16_t hook_next = 0;          // the next hook of the stage's list
    int pending_error = 0;           // the status ErrorResponse answers
    uint8_t redirects = 0;           // internal redirects so far
    int error_redirect = 0;          // in an ErrorDocument's redirect: the error it answers
    bool access_logged = false;      // the access log lines are written (Log stage)

    // The response.
    int status = 200;
    int original_status = 0;         // before an error page replaced it
    const char *content_type = nullptr;
    int64_t content_length = -1;
    mh_table headers_out;
    mh_table err_headers_out;        // kept on error pages too (Apache's err_headers_out)
    std::vector<mh_filter *> filters;  // output filters, in pool memory, ordered by type
    bool filters_off = false;        // an error page: the filters see none of it
    bool eos_sent = false;           // the end went down the filter chain
    bool finished = false;           // the response is complete
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
    uint64_t body_discarded = 0;     // dropped after the response, to keep the connection

    // Clears everything for the next request on the connection.
    void reset();
};

// LimitRequestBody in force for the request (0: none): the directory's,
// once the request is mapped, else the server's.
uint64_t body_limit(const mh_request &r);
