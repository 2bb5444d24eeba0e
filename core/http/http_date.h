// HTTP dates (RFC 9110 5.6.7): formatted once a second, parsed in all three forms.
#pragma once

#include <cstdint>
#include <ctime>
#include <string_view>

namespace mh::http {

// "Fri, 27 Nov 2026 16:21:25 GMT" (29 characters) into out[30]; times before
// 1970 or past 9999 are clamped to those years.
void format_http_date(time_t t, char out[30]);

// The Date header value for now, formatted at most once a second per thread.
std::string_view current_http_date();

// IMF-fixdate, RFC 850 and asctime forms; -1 when `s` is none of them.
int64_t parse_http_date(std::string_view s);

}  // namespace mh::http
