// Numbers, times and sizes written the way Apache's mod_status writes them.
//
// Apache prints through APR's own printf, whose %g and %f do not follow C's:
// %g drops the leading zero (".75"), switches to exponent form later than C
// and writes the exponent without padding ("1.e+5" for 100000). Parsers of
// ?auto have lived with that for twenty years, so we write the same bytes.
#pragma once

#include <cstdint>
#include <string>

namespace mh_status {

// APR's "%.<precision>g" (precision 6 is plain "%g").
std::string apr_g(double v, int precision = 6);
// APR's "%.<precision>f".
std::string apr_f(double v, int precision);

// " 1 day 2 hours 3 minutes 4 seconds": each non-zero part with a leading
// space, nothing at all for 0 (Apache's show_time).
std::string uptime_text(uint32_t seconds);

// "Friday, 27-Nov-2026 15:20:44 UTC": Apache's DEFAULT_TIME_FORMAT in local time.
std::string apache_time(int64_t unix_seconds);

// "4 B", "12.5 kB", "3.1 MB", "1.2 GB" (Apache's format_byte_out).
std::string byte_text(uint64_t bytes);
// "12 kB", "3.1 MB", "1.2 GB" (Apache's format_kbyte_out).
std::string kbyte_text(uint64_t kbytes);

}  // namespace mh_status
