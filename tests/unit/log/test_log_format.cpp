// LogFormat: each directive, escaping, conditions, errors, builtin formats.
#include <doctest/doctest.h>

#include <stdexcept>

#include "alloc_counter.h"
#include "facts.h"
#include "support.h"

using mh::log::LogFormat;
using mh::log::RequestFacts;
using mh::test::Headers;
using mh::test::render;
using mh::test::sample_facts;

namespace {

Headers sample_headers() {
    Headers h;
    h.in = {{"Referer", "http://example.com/from"},
            {"User-Agent", "curl/7.88.1"},
            {"Cookie", "a=1; Session = xyz ;empty=; b=2"},
            {"X-Empty", ""}};
    h.out = {{"Content-Type", "text/html"}, {"ETag", "\"abc\""}};
    return h;
}

std::string unrecognized(std::string_view format) {
    try {
        LogFormat f(format);
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("LogFormat: connection and request directives") {
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    CHECK(render("%%", f) == "%");
    CHECK(render("100%% %a", f) == "100% 127.0.0.1");
    CHECK(render("%a %{c}a %h", f) == "127.0.0.1 127.0.0.1 127.0.0.1");
    CHECK(render("%A", f) == "127.0.0.2");
    CHECK(render("%l", f) == "-");
    CHECK(render("%u", f) == "-");
    f.remote_user = "alice";
    CHECK(render("%u", f) == "alice");
    CHECK(render("%m %U %q %H", f) == "GET /index.html ?a=1 HTTP/1.1");
    CHECK(render("%r", f) == "GET /index.html?a=1 HTTP/1.1");
    CHECK(render("%f", f) == "/srv/htdocs/index.html");
    CHECK(render("%R", f) == "static");
    CHECK(render("%v %V", f) == "www.example.com www.example.com");
    CHECK(render("%k %X", f) == "3 +");
    CHECK(render("%L", f) == "-");
}

TEST_CASE("LogFormat: ports, pid and tid") {
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    CHECK(render("%p", f) == "8080");
    CHECK(render("%{canonical}p %{local}p %{remote}p", f) == "8080 8080 54321");
    CHECK(render("%{REMOTE}p", f) == "54321");
    CHECK(render("%{bogus}p", f) == "bogus");  // as Apache: the argument itself
    CHECK(render("%P %{pid}P %{tid}P %{hextid}P", f) == "4242 4242 255 ff");
    CHECK(render("%{x}P", f) == "x");
}

TEST_CASE("LogFormat: status, sizes and durations") {
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    f.original_status = 302;
    f.final_status = 404;
    CHECK(render("%s %>s %<s", f) == "302 404 302");
    f.final_status = 0;
    CHECK(render("%>s", f) == "-");
    CHECK(render("%b %B", f) == "1234 1234");
    f.body_bytes = 0;
    CHECK(render("%b %B", f) == "- 0");
    CHECK(render("%I %O %S", f) == "78 1500 1578");
    CHECK(render("%D", f) == "1234567");
    CHECK(render("%T %{s}T %{ms}T %{us}T %{MS}T", f) == "1 1 1234 1234567 1234");
    CHECK(render("%{fortnights}T", f) == "fortnights");
}

TEST_CASE("LogFormat: headers, environment, notes, cookies, trailers") {
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    CHECK(render("%{Referer}i|%{user-agent}i|%{X-Missing}i|%{X-Empty}i", f) ==
          "http://example.com/from|curl/7.88.1|-|");
    CHECK(render("%{Content-Type}o %{ETag}o %{Location}o", f) == "text/html \\\"abc\\\" -");
    CHECK(render("%{PATH}e %{note}n", f) == "- -");
    CHECK(render("%{a}C %{session}C %{b}C %{empty}C %{nope}C", f) == "1 xyz 2 - -");
    CHECK(render("%{Grpc-Status}^ti %{X}^to", f) == "- -");
    f.header_in = nullptr;
    f.header_out = nullptr;
    CHECK(render("%{Referer}i %{ETag}o %{a}C", f) == "- - -");
}

TEST_CASE("LogFormat: client values are escaped as ap_escape_logitem") {
    Headers h = sample_headers();
    h.in.push_back({"X-Evil", "a\"b\\c\nd\re\tf\bg\vh\x01i\x7f\xff"});
    RequestFacts f = sample_facts(h);
    const char *escaped = "a\\\"b\\\\c\\nd\\re\\tf\\bg\\vh\\x01i\\x7f\\xff";
    CHECK(render("%{X-Evil}i", f) == escaped);
    std::string evil = "a\"b\\c\nd\re\tf\bg\vh\x01i\x7f\xff";
    f.request_line = evil;
    f.path = evil;
    f.query = evil;
    f.method = evil;
    f.protocol = evil;
    f.remote_user = evil;
    f.filename = evil;
    f.server_name = evil;
    f.vhost = evil;
    f.handler = evil;
    for (const char *d : {"%r", "%U", "%q", "%m", "%H", "%u", "%f", "%v", "%V", "%R"}) {
        CAPTURE(d);
        CHECK(render(d, f) == escaped);
    }
    f.header_in = [](const void *, std::string_view) -> const char * { return "x=\"1\""; };
    CHECK(render("%{x}C", f) == "\\\"1\\\"");
    // Literal text in the format is the administrator's, not escaped.
    CHECK(render("\"%>s\"", f) == "\"200\"");
}

TEST_CASE("LogFormat: empty values") {
    RequestFacts f;  // nothing known, as for a 408 before any request line
    f.final_status = 408;
    f.original_status = 408;
    CHECK(render("%h %l %u \"%r\" %>s %b %f %R %m %H %U", f) == "- - - \"-\" 408 - - - - - -");
    CHECK(render("[%q]", f) == "[]");  // %q is empty, not "-", without a query
    CHECK(render("%{Referer}i", f) == "-");
}

TEST_CASE("LogFormat: status conditions") {
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    f.final_status = 200;
    CHECK(render("%400,501{User-agent}i", f) == "-");
    CHECK(render("%!200,304{Referer}i", f) == "-");
    f.final_status = 501;
    CHECK(render("%400,501{User-agent}i", f) == "curl/7.88.1");
    CHECK(render("%!200,304{Referer}i", f) == "http://example.com/from");
    f.final_status = 304;
    CHECK(render("%!200,304{Referer}i", f) == "-");
    // The condition is on the final status; %s still shows the original one.
    f.original_status = 302;
    f.final_status = 404;
    CHECK(render("%404s %404>s %200s", f) == "302 404 -");
    CHECK(render("%!404<s", f) == "-");
    CHECK(render("%404{bogus}p", f) == "bogus");
    CHECK(render("%!404{bogus}p", f) == "-");
}

TEST_CASE("LogFormat: literal text and escapes") {
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    CHECK(render("", f) == "");
    CHECK(render("plain text", f) == "plain text");
    CHECK(render("a\\tb\\nc\\rd", f) == "a\tb\nc\rd");
    CHECK(render("back\\\\slash", f) == "back\\slash");
    CHECK(render("q\\\"x\\\"", f) == "q\"x\"");
    CHECK(render("\\q\\", f) == "\\q\\");  // unknown escapes stay as written
    CHECK(render("<%>s>", f) == "<200>");
}

TEST_CASE("LogFormat: errors name the directive as Apache does") {
    CHECK(unrecognized("%Z") == "Unrecognized LogFormat directive %Z");
    CHECK(unrecognized("%h %{foo}Z") == "Unrecognized LogFormat directive %Z");
    CHECK(unrecognized("%400j") == "Unrecognized LogFormat directive %j");
    CHECK(unrecognized("%^xx") == "Unrecognized LogFormat directive %^");
    CHECK(unrecognized("abc %") == "Ran off end of LogFormat parsing args to some directive");
    CHECK(unrecognized("%{Referer") == "Ran off end of LogFormat parsing args to some directive");
    CHECK(unrecognized("%>") == "Ran off end of LogFormat parsing args to some directive");
    CHECK(unrecognized("%h %l %u %t \"%r\" %>s %b") == "no error");
}

TEST_CASE("LogFormat: builtin formats") {
    CHECK(std::string(mh::log::builtin_format("common")) == "%h %l %u %t \"%r\" %>s %b");
    CHECK(std::string(mh::log::builtin_format("combined")) ==
          "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"");
    CHECK(std::string(mh::log::builtin_format("vhost_combined")) ==
          "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"");
    CHECK(std::string(mh::log::builtin_format("referer")) == "%{Referer}i -> %U");
    CHECK(std::string(mh::log::builtin_format("agent")) == "%{User-agent}i");
    CHECK(mh::log::builtin_format("Combined") == nullptr);
    CHECK(mh::log::builtin_format("") == nullptr);
}

TEST_CASE("LogFormat: builtin formats render as Apache's lines") {
    mh::test::TzGuard tz("UTC");
    Headers h;
    h.in = {{"User-Agent", "curl/7.88.1"}};
    RequestFacts f = sample_facts(h);
    f.request_line = "GET / HTTP/1.1";
    f.path = "/";
    CHECK(render(mh::log::builtin_format("combined"), f) ==
          "127.0.0.1 - - [27/Nov/2026:16:21:25 +0000] \"GET / HTTP/1.1\" 200 1234 \"-\" "
          "\"curl/7.88.1\"");
    CHECK(render(mh::log::builtin_format("common"), f) ==
          "127.0.0.1 - - [27/Nov/2026:16:21:25 +0000] \"GET / HTTP/1.1\" 200 1234");
    CHECK(render(mh::log::builtin_format("vhost_combined"), f) ==
          "www.example.com:8080 127.0.0.1 - - [27/Nov/2026:16:21:25 +0000] \"GET / HTTP/1.1\" 200 "
          "1500 \"-\" \"curl/7.88.1\"");
    CHECK(render(mh::log::builtin_format("referer"), f) == "- -> /");
    CHECK(render(mh::log::builtin_format("agent"), f) == "curl/7.88.1");
}

TEST_CASE("LogFormat: render appends and reuses the buffer without allocating") {
    mh::test::TzGuard tz("UTC");
    Headers h = sample_headers();
    RequestFacts f = sample_facts(h);
    LogFormat combined(mh::log::builtin_format("combined"));
    std::string out = "prefix:";
    combined.render(f, out);
    CHECK(out.rfind("prefix:127.0.0.1 - - [", 0) == 0);

    std::string first = out;
    std::size_t before = mh::test::allocations();
    for (int i = 0; i < 100; ++i) {
        out.clear();
        combined.render(f, out);
    }
    CHECK(mh::test::allocations() == before);
    CHECK("prefix:" + out == first);
}
