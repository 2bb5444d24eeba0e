// Apache's directory walk, the part that finds PATH_INFO: a file name that
// does not exist but starts with an existing regular file is that file, and
// the rest of it is the request's path_info ("/cgi-bin/env.sh/a/b").
#pragma once

#include "request/request.h"

namespace mh::path_info {

// Splits r.filename when it names nothing and a leading part of it is a
// regular file; leaves it alone otherwise (a missing file in a directory
// stays a missing file: the handler's 404).
void split(mh_request &r);

}  // namespace mh::path_info
