// Writing the response: status line and headers (once), the body framed by
// Content-Length or chunked encoding, HEAD without a body, error pages.
#pragma once

#include <cstdint>
#include <string_view>

#include "request/request.h"

namespace mh::response {

// Sends the status line and headers if they have not gone out yet, and
// decides whether the connection stays open.
void send_headers(mh_request &r);
// Body output; 0, or -1 once the client is gone.
int write(mh_request &r, std::string_view data);
int send_file(mh_request &r, int fd, int64_t offset, int64_t length);
// The end of the output filter chain: the body framed onto the connection,
// and the end of the response.
int sink_write(mh_request &r, std::string_view data);
void sink_end(mh_request &r);
// Writes out what is queued; 0, or -1 once the client is gone.
int flush(mh_request &r);
// Ends the response: headers if none went out, the last chunk, the flush.
void finish(mh_request &r);
// Replaces the response with Apache's error page for `status` and finishes it;
// `recursive_error`: the status with which the ErrorDocument for it failed.
void send_error(mh_request &r, int status, int recursive_error = 0);

}  // namespace mh::response
