#include <doctest/doctest.h>

#include "vhost/host_match.h"

using mh::vhost::has_wildcard;
using mh::vhost::normalize_host;
using mh::vhost::wildcard_match;

TEST_CASE("a Host is compared in lower case, without trailing dots or IPv6 brackets")
{
    CHECK(normalize_host("WWW.Example.COM") == "www.example.com");
    CHECK(normalize_host("example.com.") == "example.com");
    CHECK(normalize_host("example.com..") == "example.com");
    CHECK(normalize_host("[::1]") == "::1");
    CHECK(normalize_host("") == "");
}

TEST_CASE("ServerAlias wildcards: * spans any run (dots too), ? one character, no case")
{
    CHECK(has_wildcard("*.example.com"));
    CHECK(has_wildcard("w?w.example.com"));
    CHECK_FALSE(has_wildcard("www.example.com"));

    CHECK(wildcard_match("*.example.com", "www.example.com"));
    CHECK(wildcard_match("*.example.com", "a.b.example.com"));
    CHECK(wildcard_match("*.Example.COM", "WWW.example.com"));
    CHECK_FALSE(wildcard_match("*.example.com", "example.com"));
    CHECK(wildcard_match("w?.example.com", "wx.example.com"));
    CHECK_FALSE(wildcard_match("w?.example.com", "w.example.com"));
    CHECK_FALSE(wildcard_match("w?.example.com", "wxx.example.com"));
    CHECK(wildcard_match("*", ""));
    CHECK(wildcard_match("a*b*c", "aXXbYYc"));
    CHECK_FALSE(wildcard_match("a*b*c", "aXXbYY"));
    CHECK(wildcard_match("**.x", "a.x"));
    // Backtracking: the first * must give back what the second part needs.
    CHECK(wildcard_match("*ab", "aab"));
    CHECK(wildcard_match("*a*a", "aaa"));
}
