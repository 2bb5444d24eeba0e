// The body of an error response, worded as Apache's.
#pragma once

#include <string>

#include "request/request.h"

namespace mh {

std::string error_page(const mh_request &r, int status);

}  // namespace mh
