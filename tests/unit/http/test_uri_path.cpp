// normalize_path: the one place a request path is decoded and cleaned.
#include <doctest/doctest.h>

#include <string>

#include "http/uri_path.h"

using mh::http::normalize_path;
using mh::http::split_target;

namespace {

// "=<path>" on success, or the status.
std::string norm(std::string_view raw)
{
    std::string out;
    mh::http::PathVerdict v = normalize_path(raw, out);
    return v.status ? std::to_string(v.status) : "=" + out;
}

}  // namespace

TEST_CASE("plain paths and trailing slashes are kept") {
    CHECK(norm("/") == "=/");
    CHECK(norm("/index.html") == "=/index.html");
    CHECK(norm("/a/b") == "=/a/b");
    CHECK(norm("/a/b/") == "=/a/b/");
    CHECK(norm("/a/") == "=/a/");
    CHECK(norm("/a.b/c..d/...") == "=/a.b/c..d/...");
    CHECK(norm("/.hidden/..x/x..") == "=/.hidden/..x/x..");
}

TEST_CASE("'.' and '..' segments, literal and encoded") {
    CHECK(norm("/a/../b") == "=/b");
    CHECK(norm("/a/b/../../c") == "=/c");
    CHECK(norm("/a/./b") == "=/a/b");
    CHECK(norm("/./a") == "=/a");
    CHECK(norm("/.") == "=/");
    CHECK(norm("/a/.") == "=/a/");    // ends in a dot segment: names the directory
    CHECK(norm("/a/..") == "=/");
    CHECK(norm("/a/b/..") == "=/a/");
    CHECK(norm("/a/%2e%2e/b") == "=/b");
    CHECK(norm("/a/%2E%2e/b") == "=/b");
    CHECK(norm("/a/%2E%2e/") == "=/");
    CHECK(norm("/a/.%2e/b") == "=/b");
    CHECK(norm("/a/%2e./b") == "=/b");
    CHECK(norm("/a/%2e/b") == "=/a/b");
    CHECK(norm("/a/%2e") == "=/a/");
}

TEST_CASE("climbing above the root is 400, in every spelling") {
    for (const char *p : {"/..", "/../", "/../etc/passwd", "/a/../..", "/a/../../b", "/%2e%2e/", "/%2E%2E/etc/passwd",
                          "/.%2e/", "/%2e./x", "/./../x", "//../x", "/a/b/../../../x", "/a/%2e%2e/%2e%2e/x"})
        CHECK_MESSAGE(norm(p) == "400", p);
}

TEST_CASE("encoded slash is 404, encoded NUL and bad escapes 400") {
    CHECK(norm("/a%2fb") == "404");
    CHECK(norm("/a%2Fb") == "404");
    CHECK(norm("/..%2f..%2fetc/passwd") == "404");
    CHECK(norm("/%2e%2e%2f") == "404");
    CHECK(norm("/a%00") == "400");
    CHECK(norm(std::string_view("/a/\0/b", 6)) == "400");  // a literal one too
    CHECK(norm(std::string_view("/a\0", 3)) == "400");
    CHECK(norm("/a%00.html") == "400");
    // Decoded control characters: a CR LF would split a header a module
    // builds from the path (a Location, say).
    for (const char *p : {"/old/x%0d%0aSet-Cookie:%20a=b", "/a%0a", "/a%0D", "/a%09b", "/a%1f", "/a%7f"})
        CHECK_MESSAGE(norm(p) == "400", p);
    CHECK(norm("/a%20b%80") == "=/a b\x80");
    for (const char *p : {"/%", "/%4", "/a%", "/a%g0", "/a%0g", "/%%41", "/%-1", "/% 1", "/%+1", "/a%2"})
        CHECK_MESSAGE(norm(p) == "400", p);
}

TEST_CASE("double-encoding is decoded once: what remains is literal") {
    CHECK(norm("/%252e%252e/x") == "=/%2e%2e/x");
    CHECK(norm("/%25") == "=/%");
    CHECK(norm("/%252f") == "=/%2f");
    CHECK(norm("/%2500") == "=/%00");
}

TEST_CASE("other decodings: backslash and overlong UTF-8 stay literal") {
    CHECK(norm("/..%5c..%5cetc") == "=/..\\..\\etc");
    CHECK(norm("/..\\x") == "=/..\\x");
    CHECK(norm("/%c0%ae%c0%ae/x") == "=/\xc0\xae\xc0\xae/x");
    CHECK(norm("/caf%C3%A9") == "=/caf\xc3\xa9");
    CHECK(norm("/a%20b") == "=/a b");
    CHECK(norm("/a%41") == "=/aA");
}

TEST_CASE("empty segments merge, as MergeSlashes On") {
    CHECK(norm("//") == "=/");
    CHECK(norm("//a//b//") == "=/a/b/");
    CHECK(norm("/a///b") == "=/a/b");
    CHECK(norm("/a/.//./b") == "=/a/b");
}

TEST_CASE("a path must start with '/'") {
    CHECK(norm("") == "400");
    CHECK(norm("a/b") == "400");
    CHECK(norm("%2fa") == "400");
}

TEST_CASE("split_target: the path and the raw query") {
    std::string_view path, query;
    split_target("/a/b?x=1&y=%2F", path, query);
    CHECK(path == "/a/b");
    CHECK(query == "x=1&y=%2F");
    split_target("/a", path, query);
    CHECK(path == "/a");
    CHECK(query.data() == nullptr);
    split_target("/a?", path, query);
    CHECK(path == "/a");
    CHECK(query.data() != nullptr);
    CHECK(query.empty());
    split_target("/a?b?c", path, query);
    CHECK(query == "b?c");
    // A '?' decoded from %3F is part of the path, not a query.
    std::string out;
    CHECK(normalize_path("/a%3Fb", out).status == 0);
    CHECK(out == "/a?b");
}
