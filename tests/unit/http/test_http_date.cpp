// HTTP dates: formatting, and parsing the three forms of RFC 9110 5.6.7.
#include <doctest/doctest.h>

#include <ctime>
#include <limits>
#include <string>

#include "http/http_date.h"

using mh::http::format_http_date;
using mh::http::parse_http_date;

namespace {

constexpr int64_t kExample = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

std::string formatted(time_t t)
{
    char buf[30];
    format_http_date(t, buf);
    return buf;
}

}  // namespace

TEST_CASE("format: IMF-fixdate, 29 characters") {
    CHECK(formatted(kExample) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(formatted(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(formatted(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK(formatted(4102444799) == "Thu, 31 Dec 2099 23:59:59 GMT");
}

TEST_CASE("format: times outside 1970..9999 are clamped, never cut or garbage") {
    CHECK(formatted(-1) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(formatted(-62167219201) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(formatted(253402300799) == "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(formatted(253402300800) == "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(formatted(time_t(1) << 60) == "Fri, 31 Dec 9999 23:59:59 GMT");  // a tmpfs mtime
    CHECK(formatted(std::numeric_limits<time_t>::max()) == "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(formatted(std::numeric_limits<time_t>::min()) == "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST_CASE("current_http_date is now, formatted") {
    time_t before = time(nullptr);
    std::string_view d = mh::http::current_http_date();
    time_t after = time(nullptr);
    REQUIRE(d.size() == 29);
    int64_t t = parse_http_date(d);
    CHECK(t >= before);
    CHECK(t <= after);
}

TEST_CASE("parse: the three forms of the same instant") {
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == kExample);
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == kExample);
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == kExample);
    CHECK(parse_http_date("Sun Nov 06 08:49:37 1994") == kExample);
}

TEST_CASE("parse: round trip over the years") {
    for (int64_t t : {int64_t(0), int64_t(86399), int64_t(951782400), int64_t(1700000000), int64_t(1798761599),
                      int64_t(4102444799), int64_t(253402300799)}) {
        std::string s = formatted(static_cast<time_t>(t));
        CHECK_MESSAGE(parse_http_date(s) == t, s);
    }
}

TEST_CASE("parse: leap days and month lengths") {
    CHECK(parse_http_date("Sat, 29 Feb 2020 00:00:00 GMT") == 1582934400);
    CHECK(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT") == 951782400);
    CHECK(parse_http_date("Tue, 29 Feb 2022 00:00:00 GMT") == -1);
    CHECK(parse_http_date("Thu, 29 Feb 2100 00:00:00 GMT") == -1);  // 2100 is no leap year
    CHECK(parse_http_date("Sun, 30 Feb 2020 00:00:00 GMT") == -1);
    CHECK(parse_http_date("Thu, 31 Nov 1994 08:49:37 GMT") == -1);
    CHECK(parse_http_date("Thu, 31 Apr 1994 08:49:37 GMT") == -1);
    CHECK(parse_http_date("Wed, 30 Nov 1994 08:49:37 GMT") == 786185377);
    CHECK(parse_http_date("Sat, 31 Dec 1994 23:59:60 GMT") == 788918400);  // a leap second
}

TEST_CASE("parse: RFC 850's two-digit year is the nearest, at most 50 years ahead") {
    CHECK(parse_http_date("Wednesday, 01-Jan-70 00:00:00 GMT") == 3155760000);  // 2070, not 1970
    CHECK(parse_http_date("Friday, 01-Jan-99 00:00:00 GMT") == 915148800);    // 1999
    CHECK(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT") == 946684800);  // 2000
    CHECK(parse_http_date("Monday, 06-Nov-00 08:49:37 GMT") == 973500577);
}

TEST_CASE("parse: what is not one of the three forms is -1") {
    for (const char *s : {
             "", "yesterday", "0", "784111777",
             "Sun, 06 Nov 1994 08:49:37",          // no zone
             "Sun, 06 Nov 1994 08:49:37 PST",      // not GMT
             "Sun, 06 Nov 1994 08:49:37 UTC",
             "Sun, 06 Nov 1994 08:49:37 +0000",
             "Sun, 06 Nov 1994 08:49:37 GMT x",    // trailing bytes
             " Sun, 06 Nov 1994 08:49:37 GMT",
             "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
             "Sun, 6 Nov 1994 08:49:37 GMT",       // day is two digits
             "Sun, 06 Nov 94 08:49:37 GMT",
             "Sun,06 Nov 1994 08:49:37 GMT",
             "Sun, 06 Nov 1994 08:49:37GMT",
             "Sun, 06  Nov 1994 08:49:37 GMT",
             "Sun, +6 Nov 1994 08:49:37 GMT",
             "Sun, -1 Nov 1994 08:49:37 GMT",
             "Sun, 00 Nov 1994 08:49:37 GMT",
             "Sun, 32 Nov 1994 08:49:37 GMT",
             "Sun, 06 Foo 1994 08:49:37 GMT",
             "Sun, 06 November 1994 08:49:37 GMT",
             "Xyz, 06 Nov 1994 08:49:37 GMT",
             "Sunday, 06 Nov 1994 08:49:37 GMT",
             "Sun, 06 Nov 1994 24:00:00 GMT",
             "Sun, 06 Nov 1994 08:60:00 GMT",
             "Sun, 06 Nov 1994 08:49:61 GMT",
             "Sun, 06 Nov 1994 8:49:37 GMT",
             "Sun, 06 Nov 1994 08-49-37 GMT",
             "Sun, 06 Nov 1969 23:59:59 GMT",      // before the epoch
             "Sun, 06 Nov 19945 08:49:37 GMT",
             "Sun, 06 Nov 1994 08:49:37 GMT GMT",
             "Sunday, 06-Nov-1994 08:49:37 GMT",
             "Sun, 06-Nov-94 08:49:37 GMT",
             "Sunday, 06-Nov-94 08:49:37",
             "Sunday, 6-Nov-94 08:49:37 GMT",
             "Funday, 06-Nov-94 08:49:37 GMT",
             "Sun Nov 6 08:49:37 1994",
             "Sun Nov  6 08:49:37 94",
             "Sun Nov  6 08:49:37 1994 GMT",
             "Sun Nov 36 08:49:37 1994",
             "Sunday Nov  6 08:49:37 1994",
         })
        CHECK_MESSAGE(parse_http_date(s) == -1, s);
    // Embedded NUL: the view's length is what counts.
    CHECK(parse_http_date(std::string_view("Sun, 06 Nov 1994 08:49:37 GMT\0", 30)) == -1);
    CHECK(parse_http_date(std::string_view("Sun, 06 Nov\0" "1994 08:49:37 GMT", 29)) == -1);
}
