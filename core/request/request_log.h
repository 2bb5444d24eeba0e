// After the response: the CustomLog lines, the log_transaction hooks and
// the worker's scoreboard counters.
#pragma once

#include "request/request.h"

namespace mh {

void log_request(mh_request &r);

}  // namespace mh
