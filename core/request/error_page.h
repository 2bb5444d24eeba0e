// The body of an error response, worded as Apache's.
#pragma once

#include <string>

#include "request/request.h"

namespace mh {

// With `recursive_error`, Apache's note that the ErrorDocument failed too.
std::string error_page(const mh_request &r, int status, int recursive_error = 0);

}  // namespace mh
