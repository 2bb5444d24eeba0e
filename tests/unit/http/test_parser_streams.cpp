// Accepted request streams: the events must not depend on how the bytes
// were cut into reads (every two-piece cut and byte by byte are checked).
#include <doctest/doctest.h>

#include "feed.h"

using mh::http::Limits;
using mh::test::check_splits;
using mh::test::Events;
using mh::test::request;

TEST_CASE("a simple GET; a bare LF ends no line") {
    CHECK(check_splits("GET / HTTP/1.1\r\nHost: a\r\n\r\n") ==
          Events{"HEAD GET / HTTP/1.1 none ka host=a", "END"});
    // One rule for every line, as Apache's HttpProtocolOptions Strict: CRLF.
    CHECK(check_splits("GET /x?y=1 HTTP/1.1\nHost: a\nAccept: */*\n\n") == Events{"ERROR 400"});
    CHECK(check_splits("GET / HTTP/1.1\r\nHost: a\n\r\n") == Events{"ERROR 400"});
    CHECK(check_splits("GET / HTTP/1.1\r\nHost: a\r\n\n") == Events{"ERROR 400"});
    // Field values lose surrounding whitespace; names keep their case.
    Events e = check_splits("HEAD /h HTTP/1.1\r\nhOsT:   b:81 \t\r\nX-Empty:\r\n\r\n");
    CHECK(e == Events{"HEAD HEAD /h HTTP/1.1 none ka host=b:81", "END"});
}

TEST_CASE("the head's strings are NUL-terminated copies that survive more input") {
    mh::http::RequestParser p(Limits{});
    std::string first = "GET /first HTTP/1.1\r\nHost: a\r\nX-One: 1\r\n\r\n";
    auto in = p.input_space(first.size());
    memcpy(in.data(), first.data(), first.size());
    p.commit(first.size());
    REQUIRE(p.next() == mh::http::RequestParser::Event::Head);
    const auto &h = p.head();
    // More bytes arrive (the buffer may move) while the request is served.
    std::string more(70000, 'x');
    in = p.input_space(more.size());
    memcpy(in.data(), more.data(), more.size());
    p.commit(more.size());
    CHECK(std::string(h.method.data()) == "GET");
    CHECK(std::string(h.target.data()) == "/first");
    CHECK(std::string(h.protocol.data()) == "HTTP/1.1");
    CHECK(std::string(h.request_line.data()) == "GET /first HTTP/1.1");
    CHECK(std::string(h.header("x-one").data()) == "1");
    CHECK(h.header("X-Two").data() == nullptr);
    CHECK(h.headers.size() == 2);
    CHECK(h.method_id == HTTP_GET);
}

TEST_CASE("target_path is a NUL-terminated view, also when built for a query without a path") {
    for (std::string target : {"http://h/p?q", "http://h", "http://h?q=1", "http://h:8?"}) {
        mh::http::RequestParser p(Limits{});
        std::string s = "GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
        auto in = p.input_space(s.size());
        memcpy(in.data(), s.data(), s.size());
        p.commit(s.size());
        REQUIRE(p.next() == mh::http::RequestParser::Event::Head);
        std::string_view tp = p.head().target_path;
        CHECK(tp.front() == '/');
        CHECK(tp.data()[tp.size()] == '\0');
        CHECK(std::string(tp.data()) == std::string(tp));
    }
}

TEST_CASE("pipelined requests come out one at a time, in order") {
    std::string s = request("GET /1 HTTP/1.1", {"Host: a"}) +
                    request("POST /2 HTTP/1.1", {"Host: a", "Content-Length: 5"}, "hello") +
                    request("POST /3 HTTP/1.1", {"Host: a", "Transfer-Encoding: chunked"}, "3\r\nabc\r\n0\r\n\r\n") +
                    request("GET /4 HTTP/1.1", {"Host: a", "Connection: close"});
    CHECK(check_splits(s) == Events{
        "HEAD GET /1 HTTP/1.1 none ka host=a", "END",
        "HEAD POST /2 HTTP/1.1 len=5 ka host=a", "BODY hello", "END",
        "HEAD POST /3 HTTP/1.1 chunked ka host=a", "BODY abc", "END",
        "HEAD GET /4 HTTP/1.1 none close host=a", "END"});
}

TEST_CASE("a pipelined request cut short by the peer is an error after the good ones") {
    std::string s = request("GET /1 HTTP/1.1", {"Host: a"}) + "GET /2 HTTP/1.1\r\nHo";
    CHECK(check_splits(s) == Events{"HEAD GET /1 HTTP/1.1 none ka host=a", "END"});
    CHECK(check_splits(s, {}, true) == Events{"HEAD GET /1 HTTP/1.1 none ka host=a", "END", "ERROR 400"});
    // A clean close between requests is no error.
    CHECK(check_splits(request("GET /1 HTTP/1.1", {"Host: a"}), {}, true) ==
          Events{"HEAD GET /1 HTTP/1.1 none ka host=a", "END"});
}

TEST_CASE("Content-Length bodies") {
    CHECK(check_splits(request("POST /p HTTP/1.1", {"Host: a", "Content-Length: 11"}, "hello world")) ==
          Events{"HEAD POST /p HTTP/1.1 len=11 ka host=a", "BODY hello world", "END"});
    // Zero length: no body at all. Leading zeros are digits.
    CHECK(check_splits(request("POST /p HTTP/1.1", {"Host: a", "Content-Length: 0"})) ==
          Events{"HEAD POST /p HTTP/1.1 none ka host=a", "END"});
    CHECK(check_splits(request("PUT /p HTTP/1.1", {"Host: a", "content-length: 003"}, "abcGET")) ==
          Events{"HEAD PUT /p HTTP/1.1 len=3 ka host=a", "BODY abc", "END"});
    // Binary bytes in a body are data.
    std::string bin("\0\r\n\x01\xff", 5);
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Content-Length: 5"}, bin)) ==
          Events{"HEAD POST / HTTP/1.1 len=5 ka host=a", "BODY " + bin, "END"});
    // A body cut short by the peer.
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Content-Length: 10"}, "hello"), {}, true) ==
          Events{"HEAD POST / HTTP/1.1 len=10 ka host=a", "ERROR 400"});
}

TEST_CASE("chunked bodies, with extensions and trailers") {
    std::string body = "5;name=value\r\nhello\r\n"
                       "6 ; q=\"a \\\"b\\\" c\" ; flag\r\n world\r\n"
                       "00A\r\n0123456789\r\n"
                       "1;a=b;c\r\n!\r\n"
                       "0 ;last\r\nX-Trailer: 1\r\nChecksum:\tabc \r\n\r\n";
    std::string s = request("POST /c HTTP/1.1", {"Host: a", "Transfer-Encoding: chunked"}, body) +
                    request("GET /next HTTP/1.1", {"Host: a"});
    CHECK(check_splits(s) == Events{
        "HEAD POST /c HTTP/1.1 chunked ka host=a", "BODY hello world0123456789!", "END",
        "HEAD GET /next HTTP/1.1 none ka host=a", "END"});
    // Coding names are case-insensitive; an empty chunked body.
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Transfer-Encoding: CHUNKED"}, "0\r\n\r\n")) ==
          Events{"HEAD POST / HTTP/1.1 chunked ka host=a", "END"});
    // A trailer field ends in CRLF, as a header field does.
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Transfer-Encoding: chunked"}, "1\r\nx\r\n0\r\nT: 1\r\n\r\n")) ==
          Events{"HEAD POST / HTTP/1.1 chunked ka host=a", "BODY x", "END"});
    // Apache tolerates whitespace after the size.
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Transfer-Encoding: chunked"}, "1 \r\nx\r\n0\r\n\r\n")) ==
          Events{"HEAD POST / HTTP/1.1 chunked ka host=a", "BODY x", "END"});
}

TEST_CASE("a large chunked body streams in pieces and ends where it should") {
    std::string data;
    for (int i = 0; i < 3000; ++i) data += char('a' + i % 26);
    std::string body;
    for (size_t at = 0; at < data.size(); at += 1000) {
        char size[16];
        snprintf(size, sizeof size, "%zx\r\n", std::min<size_t>(1000, data.size() - at));
        body += size + data.substr(at, 1000) + "\r\n";
    }
    body += "0\r\n\r\n";
    std::string s = request("POST / HTTP/1.1", {"Host: a", "Transfer-Encoding: chunked"}, body) +
                    request("GET / HTTP/1.1", {"Host: a"});
    CHECK(check_splits(s) == Events{"HEAD POST / HTTP/1.1 chunked ka host=a", "BODY " + data, "END",
                                    "HEAD GET / HTTP/1.1 none ka host=a", "END"});
}

TEST_CASE("HTTP/1.0 keep-alive, and Connection in HTTP/1.1") {
    CHECK(check_splits("GET / HTTP/1.0\r\n\r\n") == Events{"HEAD GET / HTTP/1.0 none close", "END"});
    CHECK(check_splits("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n") ==
          Events{"HEAD GET / HTTP/1.0 none ka", "END", "HEAD GET /2 HTTP/1.0 none close", "END"});
    CHECK(check_splits(request("GET / HTTP/1.0", {"Connection: keep-alive, close"})) ==
          Events{"HEAD GET / HTTP/1.0 none close", "END"});
    CHECK(check_splits(request("GET / HTTP/1.1", {"Host: a", "Connection: foo, CLOSE"})) ==
          Events{"HEAD GET / HTTP/1.1 none close host=a", "END"});
    CHECK(check_splits(request("GET / HTTP/1.1", {"Host: a", "Connection: keep-alive"})) ==
          Events{"HEAD GET / HTTP/1.1 none ka host=a", "END"});
    // HTTP/1.0 with a body by Content-Length.
    CHECK(check_splits(request("POST / HTTP/1.0", {"Content-Length: 2"}, "hi")) ==
          Events{"HEAD POST / HTTP/1.0 len=2 close", "BODY hi", "END"});
    // A minor version above 1 is HTTP/1.1 to us.
    CHECK(check_splits(request("GET / HTTP/1.2", {"Host: a"})) == Events{"HEAD GET / HTTP/1.2 none ka host=a", "END"});
}

TEST_CASE("Expect: 100-continue") {
    CHECK(check_splits(request("PUT /u HTTP/1.1", {"Host: a", "Expect: 100-Continue", "Content-Length: 2"}, "ok")) ==
          Events{"HEAD PUT /u HTTP/1.1 len=2 ka expect host=a", "BODY ok", "END"});
    // From HTTP/1.0 it is ignored (RFC 9110 10.1.1).
    CHECK(check_splits(request("PUT /u HTTP/1.0", {"Expect: 100-continue", "Content-Length: 2"}, "ok")) ==
          Events{"HEAD PUT /u HTTP/1.0 len=2 close", "BODY ok", "END"});
    // An empty list expects nothing.
    CHECK(check_splits(request("GET / HTTP/1.1", {"Host: a", "Expect:"})) ==
          Events{"HEAD GET / HTTP/1.1 none ka host=a", "END"});
}

TEST_CASE("empty lines before a request line are skipped, a few of them") {
    CHECK(check_splits("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") ==
          Events{"HEAD GET / HTTP/1.1 none ka host=a", "END"});
    CHECK(check_splits("\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == Events{"ERROR 400"});
    // The CRLF old clients add after a POST body.
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Content-Length: 1"}, "x\r\n") +
                       request("GET / HTTP/1.1", {"Host: a"})) ==
          Events{"HEAD POST / HTTP/1.1 len=1 ka host=a", "BODY x", "END", "HEAD GET / HTTP/1.1 none ka host=a", "END"});
    // Just CRLFs and a close: nothing happened.
    CHECK(check_splits("\r\n\r\n", {}, true).empty());
}

TEST_CASE("absolute-form targets, OPTIONS *, and what the target may hold") {
    CHECK(check_splits(request("GET http://Example.com:8080/a/b?q=1 HTTP/1.1", {"Host: other"})) ==
          Events{"HEAD GET http://Example.com:8080/a/b?q=1 HTTP/1.1 none ka host=other thost=Example.com tpath=/a/b?q=1",
                 "END"});
    CHECK(check_splits(request("GET https://h HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD GET https://h HTTP/1.1 none ka host=h thost=h tpath=/", "END"});
    // A query without a path: the path is "/" and the query is kept.
    CHECK(check_splits(request("GET http://example.com?x=1 HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD GET http://example.com?x=1 HTTP/1.1 none ka host=h thost=example.com tpath=/?x=1", "END"});
    // An empty query stays one (fuzz_request_parser found "/" here).
    CHECK(check_splits(request("GET http://example.com? HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD GET http://example.com? HTTP/1.1 none ka host=h thost=example.com tpath=/?", "END"});
    CHECK(check_splits(request("GET http://example.com:81?x=1&y=/ HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD GET http://example.com:81?x=1&y=/ HTTP/1.1 none ka host=h thost=example.com tpath=/?x=1&y=/",
                 "END"});
    CHECK(check_splits(request("GET HTTP://[::1]:80/x HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD GET HTTP://[::1]:80/x HTTP/1.1 none ka host=h thost=::1 tpath=/x", "END"});
    CHECK(check_splits(request("OPTIONS * HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD OPTIONS * HTTP/1.1 none ka host=h", "END"});
    // Characters RFC 3986 allows in a path and query.
    CHECK(check_splits(request("GET /a-b_c.d~e!$&'()*+,;=:@/%41?x=/?y HTTP/1.1", {"Host: h"})) ==
          Events{"HEAD GET /a-b_c.d~e!$&'()*+,;=:@/%41?x=/?y HTTP/1.1 none ka host=h", "END"});
}

TEST_CASE("an Upgrade request keeps its body: it is read as the body, not as the next request") {
    std::string s = request("POST /u HTTP/1.1",
                            {"Host: a", "Connection: Upgrade", "Upgrade: h2c", "Transfer-Encoding: chunked"},
                            "1\r\nx\r\n0\r\n\r\n") +
                    request("GET /next HTTP/1.1", {"Host: a", "Connection: upgrade", "Upgrade: websocket"}) +
                    request("POST /cl HTTP/1.1", {"Host: a", "Connection: upgrade", "Upgrade: x", "Content-Length: 3"}, "abc");
    CHECK(check_splits(s) == Events{
        "HEAD POST /u HTTP/1.1 chunked ka host=a", "BODY x", "END",
        "HEAD GET /next HTTP/1.1 none ka host=a", "END",
        "HEAD POST /cl HTTP/1.1 len=3 ka host=a", "BODY abc", "END"});
}

TEST_CASE("limits: exactly at each limit is accepted") {
    Limits l;
    l.request_line = 32;
    l.field_size = 20;
    l.fields = 3;
    std::string line = "GET /" + std::string(32 - 14, 'a') + " HTTP/1.1";  // 32 bytes
    REQUIRE(line.size() == 32);
    std::string field = "X: " + std::string(17, 'v');                     // 20 bytes
    CHECK(check_splits(request(line, {"Host: a", "Y: 1", field}), l).size() == 2);
    // The request line limit does not count the CRLF.
    CHECK(check_splits(line + "\r\nHost: a\r\n\r\n", l).size() == 2);
    CHECK(check_splits("GET /" + std::string(32 - 13, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", l) == Events{"ERROR 414"});
    // The body limit: exactly the limit passes, by length and chunked.
    Limits b;
    b.body = 5;
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Content-Length: 5"}, "12345"), b).back() == "END");
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Transfer-Encoding: chunked"}, "2\r\n12\r\n3\r\n345\r\n0\r\n\r\n"), b).back() == "END");
    // 0 is no limit.
    Limits none;
    none.body = 0;
    CHECK(check_splits(request("POST / HTTP/1.1", {"Host: a", "Content-Length: 999999999999"}), none) ==
          Events{"HEAD POST / HTTP/1.1 len=999999999999 ka host=a"});
}

TEST_CASE("request_line_so_far: the request line of a head still arriving") {
    // What a 408 logs when the head never ends (as Apache logs the request
    // line it has read).
    mh::http::RequestParser p(Limits{});
    auto feed = [&p](std::string_view s) {
        auto in = p.input_space(s.size());
        memcpy(in.data(), s.data(), s.size());
        p.commit(s.size());
        return p.next();
    };
    CHECK(p.request_line_so_far().empty());
    CHECK(feed("\r\nGET /slow HTTP/1.1") == mh::http::RequestParser::Event::NeedMore);
    CHECK(p.request_line_so_far().empty());  // not a whole line yet
    CHECK(feed("\r\nHost: x\r\nX-Trickle: a") == mh::http::RequestParser::Event::NeedMore);
    CHECK(p.request_line_so_far() == "GET /slow HTTP/1.1");
    CHECK(feed("\r\n\r\nGET /next") == mh::http::RequestParser::Event::Head);
    CHECK(p.request_line_so_far().empty());  // a head is complete: head() has it
    CHECK(p.next() == mh::http::RequestParser::Event::End);
    CHECK(p.next() == mh::http::RequestParser::Event::NeedMore);
    CHECK(p.request_line_so_far().empty());
    CHECK(feed(" HTTP/1.0\r\n") == mh::http::RequestParser::Event::NeedMore);
    CHECK(p.request_line_so_far() == "GET /next HTTP/1.0");
}

TEST_CASE("release_buffers between requests: the next request parses as before; never with input waiting") {
    mh::http::RequestParser p(Limits{});
    auto feed = [&](std::string s) {
        auto in = p.input_space(s.size());
        memcpy(in.data(), s.data(), s.size());
        p.commit(s.size());
    };
    feed("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\n");
    REQUIRE(p.next() == mh::http::RequestParser::Event::Head);
    CHECK(p.head().target == "/a");
    REQUIRE(p.next() == mh::http::RequestParser::Event::End);
    REQUIRE(p.next() == mh::http::RequestParser::Event::NeedMore);  // half of /b's head is here
    p.release_buffers();                                              // so this keeps it
    feed("Host: h\r\n\r\n");
    REQUIRE(p.next() == mh::http::RequestParser::Event::Head);
    CHECK(p.head().target == "/b");
    REQUIRE(p.next() == mh::http::RequestParser::Event::End);
    REQUIRE(p.next() == mh::http::RequestParser::Event::NeedMore);
    p.release_buffers();  // idle: nothing kept
    CHECK(!p.has_buffered_input());
    feed("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
    REQUIRE(p.next() == mh::http::RequestParser::Event::Head);
    CHECK(p.head().target == "/c");
}
