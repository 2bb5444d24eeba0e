// The life of one request, in Apache's order: decode and normalise the path,
// translate_name, the <Directory>/<Location> walk, fixups, the handler, the
// response, then logging.
#pragma once

#include "request/request.h"

namespace mh::pipeline {

// Runs the request whose head the connection's parser just produced.
void process(mh_request &r);

// Answers a request that never got as far as a handler (it could not be
// parsed, or timed out) with `status`, closes the exchange and logs it.
void reject(mh_request &r, int status, const char *reason);

}  // namespace mh::pipeline
