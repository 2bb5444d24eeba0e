// Text escaping for the reports. Request lines and Host headers come from
// clients: they are shown escaped as Apache's ap_escape_logitem does
// (quotes, backslashes, control and non-ASCII bytes as \xhh), which leaves
// plain ASCII that is safe in JSON, and then HTML-escaped in the page.
#pragma once

#include <string>
#include <string_view>

namespace mh_status {

std::string escape_logitem(std::string_view s);
// &, <, >, " and ' as entities.
std::string escape_html(std::string_view s);

}  // namespace mh_status
