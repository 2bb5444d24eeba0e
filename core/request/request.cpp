#include "request/request.h"

#include "server.h"

void mh_request::reset()
{
    pool.clear();
    head = nullptr;
    method = target = protocol = request_line = "";
    path = "/";
    query = nullptr;
    hostname = "";
    filename = nullptr;
    path_info = "";
    handler = nullptr;
    user = nullptr;
    headers_in.clear();
    notes.clear();
    subprocess_env.clear();
    dir = nullptr;
    context_prefix = context_root = nullptr;
    header_only = false;
    start_us = 0;
    stage = mh::Stage::PostRead;
    hook_next = 0;
    pending_error = 0;
    redirects = 0;
    error_redirect = 0;
    access_logged = false;
    status = 200;
    original_status = 0;
    content_type = nullptr;
    content_length = -1;
    headers_out.clear();
    err_headers_out.clear();
    filters.clear();
    filters_off = eos_sent = finished = false;
    headers_sent = chunked = keep_alive = false;
    body_sent = bytes_out = 0;
    response_refused = sending_error = false;
    continue_sent = body_started = body_done = body_failed = false;
    body_discarded = 0;
}

uint64_t body_limit(const mh_request &r)
{
    if (r.dir && r.dir->core.limit_request_body) return *r.dir->core.limit_request_body;
    return r.server->core.limits.body;
}
