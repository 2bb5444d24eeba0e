// Apache's escaping of logged values, so that a client cannot forge lines
// (newlines) or fields (quotes) in a log that tools like goaccess parse.
#pragma once

#include <string>
#include <string_view>

namespace mh::log::detail {

// ap_escape_logitem: control bytes, bytes >= 0x7f, '"' and '\' become \xhh,
// except \" \\ \b \n \r \t \v which keep their short form.
void append_escaped(std::string &out, std::string_view in);

// ap_escape_errorlog_item: the same, but '"' stays as it is.
void append_errorlog_escaped(std::string &out, std::string_view in);

}  // namespace mh::log::detail
