// libFuzzer target: HTTP dates (core/http/http_date.h).
//
// The input is parsed as a date (If-Modified-Since and friends come from
// clients), and its first 8 bytes, as a little-endian time_t, are formatted
// (Last-Modified comes from file times, which can be anything). Checked:
//   - parse_http_date gives -1 or a time at or after 1970 (never another
//     negative value, which callers could not tell from a real date);
//   - a parsed date formats to a 29-character IMF-fixdate that parses back
//     to the same time;
//   - format_http_date never reads or writes out of bounds, always ends its
//     output with a NUL, and for years 1970..9999 gives a date that parses back.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/http_date.h"

namespace {

using mh::fuzz::printable;

constexpr int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z

// "Sun, 06 Nov 1994 08:49:37 GMT", field by field.
bool imf_fixdate_shape(std::string_view s)
{
    auto digits = [&](size_t at, size_t n) {
        for (size_t i = at; i < at + n; ++i)
            if (s[i] < '0' || s[i] > '9') return false;
        return true;
    };
    auto one_of = [&](size_t at, std::string_view names) {
        for (size_t i = 0; i + 3 <= names.size(); i += 3)
            if (s.substr(at, 3) == names.substr(i, 3)) return true;
        return false;
    };
    return s.size() == 29 && one_of(0, "SunMonTueWedThuFriSat") && s.substr(3, 2) == ", " && digits(5, 2) &&
           s[7] == ' ' && one_of(8, "JanFebMarAprMayJunJulAugSepOctNovDec") && s[11] == ' ' && digits(12, 4) &&
           s[16] == ' ' && digits(17, 2) && s[19] == ':' && digits(20, 2) && s[22] == ':' && digits(23, 2) &&
           s.substr(25) == " GMT";
}

void check_formatted(int64_t t, const char out[30], const std::string &ctx)
{
    std::string_view s(out, 29);
    FUZZ_CHECK(out[29] == '\0', ctx);
    FUZZ_CHECK(std::strlen(out) == 29, ctx + " -> " + printable(std::string_view(out, 30)));
    FUZZ_CHECK(imf_fixdate_shape(s), ctx + " -> " + printable(s));
    int64_t back = mh::http::parse_http_date(s);
    FUZZ_CHECK(back == t, ctx + " -> " + printable(s) + " -> " + std::to_string(back));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256) return 0;
    std::string_view s(reinterpret_cast<const char *>(data), size);

    int64_t t = mh::http::parse_http_date(s);
    FUZZ_CHECK(t == -1 || t >= 0, printable(s) + " parsed as " + std::to_string(t));
    // "Fri, 31 Dec 9999 23:59:60 GMT" (a leap second) is the first second of
    // year 10000, which has no 4-digit form: the one date that cannot go back.
    FUZZ_CHECK(t <= kYear10000, printable(s) + " parsed as " + std::to_string(t));
    if (t >= 0 && t < kYear10000) {
        char out[30];
        std::memset(out, 'X', sizeof out);
        mh::http::format_http_date(static_cast<time_t>(t), out);
        check_formatted(t, out, printable(s) + " parsed as " + std::to_string(t));
    }

    uint64_t bits = 0;
    std::memcpy(&bits, data, std::min<size_t>(size, 8));
    int64_t any = static_cast<int64_t>(bits);
    // Any time at all, even one gmtime_r cannot represent, gives an IMF-fixdate
    // (out-of-range times are clamped to years 1970..9999).
    char out[30];
    std::memset(out, 'X', sizeof out);
    mh::http::format_http_date(static_cast<time_t>(any), out);
    FUZZ_CHECK(out[29] == '\0', std::to_string(any));
    if (any >= 0 && any < kYear10000) check_formatted(any, out, "time " + std::to_string(any));
    else
        FUZZ_CHECK(imf_fixdate_shape(std::string_view(out, 29)),
                   "time " + std::to_string(any) + " -> " + printable(std::string_view(out, 30)));
    return 0;
}
