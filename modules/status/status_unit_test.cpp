// Unit tests of mod_status's pure parts: APR number formats (expected
// values printed by APR 1.7's apr_snprintf itself), the query words, the
// uptime text and the escaping of client-supplied text.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <limits>

#include "apr_format.h"
#include "escape.h"
#include "query.h"

using namespace mh_status;

namespace {

struct AprCase {
    double value;
    const char *g, *g3, *f2, *f1;  // "%g", "%.3g", "%.2f", "%.1f"
};

const AprCase kAprCases[] = {
    {0, "0", "0", "0.00", "0.0"},
    {0.75, ".75", ".75", "0.75", "0.8"},
    {2, "2", "2", "2.00", "2.0"},
    {512, "512", "512", "512.00", "512.0"},
    {1234567, "1234570", "1230000", "1234567.00", "1234567.0"},
    {100000, "1.e+5", "1.e+5", "100000.00", "100000.0"},
    {99999.949999999997, "99999.9", "1.e+5", "99999.95", "99999.9"},
    {0.0001, ".0001", ".0001", "0.00", "0.0"},
    {1.0000000000000001e-05, "1.e-5", "1.e-5", "0.00", "0.0"},
    {0.3333333432674408, ".333333", ".333", "0.33", "0.3"},
    {123456, "123456", "123000", "123456.00", "123456.0"},
    {999999.5, "1.e+6", "1.e+6", "999999.50", "999999.5"},
    {10000000000, "1.e+10", "1.e+10", "10000000000.00", "10000000000.0"},
    {0.00099989999999999996, ".0009999", ".001", "0.00", "0.0"},
    {0.5, ".5", ".5", "0.50", "0.5"},
    {0.050000000000000003, ".05", ".05", "0.05", "0.1"},
    {0.0050000000000000001, ".005", ".005", "0.01", "0.0"},
    {9.9999999000000006, "10", "10", "10.00", "10.0"},
    {0.23000000000000001, ".23", ".23", "0.23", "0.2"},
    {0.23499999999999999, ".235", ".235", "0.23", "0.2"},
    {12.449999999999999, "12.45", "12.4", "12.45", "12.4"},
    {438.85714721679688, "438.857", "439", "438.86", "438.9"},
    {0.66666666666666663, ".666667", ".667", "0.67", "0.7"},
    {-0.75, "-.75", "-.75", "-0.75", "-0.8"},
    {150, "150", "150", "150.00", "150.0"},
};

}  // namespace

TEST_CASE("numbers are written as APR's printf writes them")
{
    for (const AprCase &c : kAprCases) {
        CAPTURE(c.value);
        CHECK(apr_g(c.value) == c.g);
        CHECK(apr_g(c.value, 3) == c.g3);
        CHECK(apr_f(c.value, 2) == c.f2);
        CHECK(apr_f(c.value, 1) == c.f1);
    }
}

TEST_CASE("single-precision quotients as Apache computes them")
{
    // ReqPerSec for 1 request in 3 s, BytesPerReq for 1 kB over 3 requests.
    CHECK(apr_g(1.0f / 3.0f) == ".333333");
    CHECK(apr_g(1024 * 1.0f / 3.0f) == "341.333");
    CHECK(apr_g(std::numeric_limits<double>::infinity()) == "inf");
}

TEST_CASE("uptime text has Apache's parts and plurals")
{
    CHECK(uptime_text(0) == "");
    CHECK(uptime_text(1) == " 1 second");
    CHECK(uptime_text(2) == " 2 seconds");
    CHECK(uptime_text(60) == " 1 minute");
    CHECK(uptime_text(86400 + 2 * 3600 + 3 * 60 + 4) == " 1 day 2 hours 3 minutes 4 seconds");
    CHECK(uptime_text(2 * 86400 + 5) == " 2 days 5 seconds");
}

TEST_CASE("byte sizes as Apache's format_byte_out / format_kbyte_out")
{
    CHECK(byte_text(0) == "0 B");
    CHECK(byte_text(5119) == "5119 B");
    CHECK(byte_text(5120) == "5.0 kB");
    CHECK(byte_text(3 * 1048576) == "3.0 MB");
    CHECK(kbyte_text(1023) == "1023 kB");
    CHECK(kbyte_text(1536) == "1.5 MB");
}

TEST_CASE("query words are found anywhere, as Apache's strstr")
{
    CHECK(parse_query("").format == Format::Html);
    CHECK(parse_query("auto").format == Format::Auto);
    CHECK(parse_query("refresh=5&auto").format == Format::Auto);
    CHECK(parse_query("json").format == Format::Json);
    CHECK(parse_query("notable").no_table);
    CHECK_FALSE(parse_query("auto").no_table);
    CHECK(parse_query("auto").refresh == 0);
    CHECK(parse_query("refresh=5").refresh == 5);
    CHECK(parse_query("refresh").refresh == kDefaultRefresh);
    CHECK(parse_query("refresh=0").refresh == kDefaultRefresh);
    CHECK(parse_query("refresh=-3").refresh == kDefaultRefresh);
    CHECK(parse_query("refresh=x").refresh == kDefaultRefresh);
    CHECK(parse_query("refresh=999999999999999999999").refresh == kMaxRefresh);
    CHECK(parse_query("refresh=3600").refresh == 3600);
    CHECK(parse_query("refresh=3601").refresh == kMaxRefresh);
}

TEST_CASE("client text is escaped like Apache's ap_escape_logitem, then for HTML")
{
    CHECK(escape_logitem("GET / HTTP/1.1") == "GET / HTTP/1.1");
    CHECK(escape_logitem("a\"b\\c\n\t\x01\x7f\xe9") == "a\\\"b\\\\c\\n\\t\\x01\\x7f\\xe9");
    CHECK(escape_html("<script>alert('x')</script>&\"") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
}
