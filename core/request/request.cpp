#include "request/request.h"

void mh_request::reset()
{
    pool.clear();
    head = nullptr;
    method = target = protocol = request_line = "";
    path = "/";
    query = nullptr;
    hostname = "";
    filename = nullptr;
    handler = nullptr;
    dir = nullptr;
    header_only = false;
    start_us = 0;
    status = 200;
    original_status = 0;
    content_type = nullptr;
    content_length = -1;
    headers_out.clear();
    headers_sent = chunked = keep_alive = false;
    body_sent = bytes_out = 0;
    response_refused = sending_error = false;
    continue_sent = body_started = body_done = body_failed = false;
}
