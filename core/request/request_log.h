// After the response: the CustomLog lines, then (once the log_transaction
// hooks ran, pipeline.cpp) the worker's scoreboard counters.
#pragma once

#include "request/request.h"

namespace mh {

void log_access(mh_request &r);
void request_done(mh_request &r);

}  // namespace mh
