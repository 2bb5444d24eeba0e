// Escaping for HTML and URLs.
#pragma once

#include <string>
#include <string_view>

namespace mh {

// &, <, >, " and ' as entities.
std::string escape_html(std::string_view s);
// Percent-encodes everything but unreserved characters, sub-delims, ':', '@' and '/'.
std::string escape_path(std::string_view s);

}  // namespace mh
