// Every rejection with its status, each checked over every cut of the input.
#include <doctest/doctest.h>

#include "feed.h"

using mh::http::Limits;
using mh::test::check_splits;
using mh::test::Events;
using mh::test::request;
using mh::test::status_of;

namespace {

std::string post(std::initializer_list<std::string_view> headers, std::string_view body = {})
{
    std::string s = "POST /p HTTP/1.1\r\n";
    for (std::string_view h : headers) {
        s += h;
        s += "\r\n";
    }
    return s + "\r\n" + std::string(body);
}

std::string chunked(std::string_view body) { return post({"Host: a", "Transfer-Encoding: chunked"}, body); }

}  // namespace

TEST_CASE("Content-Length and Transfer-Encoding together: 400") {
    CHECK(status_of(post({"Host: a", "Content-Length: 5", "Transfer-Encoding: chunked"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked", "Content-Length: 0"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: gzip", "Content-Length: 3"}, "abc")) == 400);
}

TEST_CASE("Content-Length: duplicates and malformed values are 400") {
    CHECK(status_of(post({"Host: a", "Content-Length: 5", "Content-Length: 6"}, "hello!")) == 400);
    // Identical duplicates too: Apache merges them into "5, 5", which is no number.
    CHECK(status_of(post({"Host: a", "Content-Length: 5", "Content-Length: 5"}, "hello")) == 400);
    for (const char *v : {"5, 5", "+5", "-1", "0x5", "5 5", "5;", "five", "", "1e3", "5\t5", "\xd9\xa5",
                          "99999999999999999999", "1000000000000000000"})
        CHECK_MESSAGE(status_of(post({"Host: a", std::string("Content-Length: ") + v}, "hello")) == 400, v);
    // Surrounding whitespace is not part of the value.
    CHECK(check_splits(post({"Host: a", "Content-Length: \t 5 "}, "hello")).back() == "END");
}

TEST_CASE("Transfer-Encoding: unknown codings 501, chunked not last 400, HTTP/1.0 400") {
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: gzip"})) == 501);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: xchunked"})) == 501);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked;q=1"})) == 501);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: gzip, chunked"}, "0\r\n\r\n")) == 501);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: identity"})) == 501);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked, gzip"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked, identity"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked, chunked"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding:"})) == 400);
    CHECK(status_of(post({"Host: a", "Transfer-Encoding: ,"})) == 400);
    CHECK(status_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400);
    // The name is a token: no space before the colon, no other spelling.
    CHECK(status_of(post({"Host: a", "Transfer-Encoding : chunked"}, "0\r\n\r\n")) == 400);
    CHECK(status_of(post({"Host: a", "Transfer_Encoding: chunked", "Content-Length: 1"}, "x")) == 0);
}

TEST_CASE("invalid chunk sizes and chunk-size overflow: 400") {
    for (const char *size : {"g", "-5", "+5", "0x5", " 5", "5\t", ";x", "", "\x01", "fffffffffffffffff",
                             "10000000000000000", "1000000000000000", "ffffffffffffffff"})
        CHECK_MESSAGE(status_of(chunked(std::string(size) + "\r\nhello\r\n0\r\n\r\n")) == 400, size);
    // A size line ended by bare LF.
    CHECK(status_of(chunked("5\nhello\r\n0\r\n\r\n")) == 400);
}

TEST_CASE("chunk framing the lenient http_parser would take: 400") {
    // Missing CRLF after chunk data (any two bytes would do for http_parser).
    CHECK(status_of(chunked("5\r\nhelloXY0\r\n\r\n")) == 400);
    CHECK(status_of(chunked("5\r\nhello0\r\n\r\n\r\n")) == 400);
    CHECK(status_of(chunked("5\r\nhello\n0\r\n\r\n")) == 400);
    CHECK(status_of(chunked("5\r\nhello\r0\r\n\r\n")) == 400);
    // Bare CR after the size.
    CHECK(status_of(chunked("5\rXhello\r\n0\r\n\r\n")) == 400);
    CHECK(status_of(chunked("0\r\r\n\r\n")) == 400);
    // Chunk extensions that are not token[=token|quoted-string].
    for (const char *ext : {" garbage", ";", "; ", ";=v", ";a=", ";a=\"unterminated", ";a=b c", ";a\x01",
                            ";a=\"\x01\"", ";a\nb", ";a=b\x7f", ";a=@", ";a b"})
        CHECK_MESSAGE(status_of(chunked(std::string("5") + ext + "\r\nhello\r\n0\r\n\r\n")) == 400, ext);
    // The last chunk: its line and the end of the trailer section.
    CHECK(status_of(chunked("0\r\n\rX")) == 400);
    CHECK(status_of(chunked("0\r\nX-T: 1\rY: 2\r\n\r\n")) == 400);
    // Trailer fields follow the header rules, CRLF line ends included.
    CHECK(status_of(chunked("0\r\nX-T: 1\n\r\n")) == 400);
    CHECK(status_of(chunked("0\r\n\n")) == 400);
    CHECK(status_of(chunked("0\r\nX-T: 1\r\n\r\n")) == 0);
    CHECK(status_of(chunked("0\r\nX-T : 1\r\n\r\n")) == 400);
    CHECK(status_of(chunked("0\r\nX-T: 1\r\n folded\r\n\r\n")) == 400);
    CHECK(status_of(chunked("0\r\nX-T: a\x01\r\n\r\n")) == 400);
    static constexpr char kNulTrailer[] = "0\r\nX-T: a\0b\r\n\r\n";
    CHECK(status_of(chunked(std::string(kNulTrailer, sizeof kNulTrailer - 1))) == 400);
    CHECK(status_of(chunked("0\r\n: v\r\n\r\n")) == 400);
    // Trailers are bounded like header fields.
    Limits l;
    l.field_size = 30;
    l.fields = 2;  // the head has two: Host and Transfer-Encoding
    CHECK(status_of(chunked("0\r\nA: 1\r\nB: 2\r\n\r\n"), l) == 0);
    CHECK(status_of(chunked("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), l) == 400);
    CHECK(status_of(chunked("0\r\nA: " + std::string(40, 'v') + "\r\n\r\n"), l) == 400);
    CHECK(status_of(chunked("5;" + std::string(40, 'e') + "\r\nhello\r\n0\r\n\r\n"), l) == 400);
    // An endless chunk-size line is refused as it arrives, not buffered.
    CHECK(status_of(chunked("5;" + std::string(100, 'e')), l) == 400);
    CHECK(status_of(chunked("0000000000000000000000000000001\r\nx\r\n0\r\n\r\n")) == 0);
}

TEST_CASE("bare CR, obs-fold, whitespace before the colon: 400") {
    CHECK(status_of("GET / HTTP/1.1\rHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", {}, true) == 400);
    CHECK(status_of("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n continued\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\tcontinued\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\n Host: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX(y): z\r\n\r\n") == 400);
}

TEST_CASE("Host: missing on HTTP/1.1, repeated, or malformed: 400") {
    CHECK(status_of("GET / HTTP/1.1\r\n\r\n") == 400);
    CHECK(status_of("GET http://a/ HTTP/1.1\r\n\r\n") == 400);  // RFC 9112 3.2: even with absolute-form
    CHECK(status_of("GET / HTTP/1.0\r\n\r\n") == 0);
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: a", "Host: b"})) == 400);
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: a", "host: a"})) == 400);
    CHECK(status_of(request("GET / HTTP/1.0", {"Host: a", "Host: b"})) == 400);
    for (const char *h : {"a b", "a/b", "a@b", "a\\b", "a#b", "a?b", "a\"b", "a|b", "a^b", "a`b", "<a>", "a{b}"})
        CHECK_MESSAGE(status_of(request("GET / HTTP/1.1", {std::string("Host: ") + h})) == 400, h);
    for (const char *h : {"a", "a:80", "[::1]:8080", "127.0.0.1", "xn--d1acufc.xn--p1ai", "a_b"})
        CHECK_MESSAGE(status_of(request("GET / HTTP/1.1", {std::string("Host: ") + h})) == 0, h);
    // RFC 9112 3.2: an empty Host names no authority; HTTP/1.1 needs one,
    // from Host or an absolute-form target (Apache and nginx alike).
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: "})) == 400);
    CHECK(status_of(request("GET / HTTP/1.1", {"Host:"})) == 400);
    CHECK(status_of(request("GET http://a/ HTTP/1.1", {"Host: "})) == 0);
    CHECK(status_of(request("GET / HTTP/1.0", {"Host: "})) == 0);
}

TEST_CASE("request line over LimitRequestLine: 414") {
    Limits l;
    l.request_line = 32;
    CHECK(status_of("GET /" + std::string(19, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", l) == 414);
    // Refused as it arrives: no line end needed.
    CHECK(status_of("GET /" + std::string(100, 'a'), l) == 414);
    CHECK(status_of(std::string(40, 'G'), l) == 414);
    // The default limit, 8190 (not cut at every position: too slow).
    std::string at_limit = "GET /" + std::string(8190 - 14, 'a') + " HTTP/1.1";
    CHECK(mh::test::events_of(at_limit + "\r\nHost: a\r\n\r\n").size() == 2);
    CHECK(mh::test::events_of("GET /a" + at_limit.substr(5) + "\r\nHost: a\r\n\r\n") == Events{"ERROR 414"});
}

TEST_CASE("a field over LimitRequestFieldSize, or more than LimitRequestFields: 431") {
    Limits l;
    l.field_size = 20;
    l.fields = 3;
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: a", "X: " + std::string(18, 'v')}), l) == 431);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(100, 'v'), l) == 431);
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: a", "A: 1", "B: 2", "C: 3"}), l) == 431);
    // Lots of tiny fields, one byte each line.
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 200; ++i) many += "a:\r\n";
    CHECK(status_of(many, l) == 431);
}

TEST_CASE("a body over LimitRequestBody: 413, by length up front and chunked as it streams") {
    Limits l;
    l.body = 10;
    CHECK(status_of(post({"Host: a", "Content-Length: 11"})) == 0);
    CHECK(check_splits(post({"Host: a", "Content-Length: 11"}), l) == Events{"ERROR 413"});
    CHECK(status_of(post({"Host: a", "Content-Length: 99999999999999"}), l) == 413);
    CHECK(status_of(chunked("6\r\n123456\r\n5\r\n12345\r\n0\r\n\r\n"), l) == 413);
    CHECK(status_of(chunked("b\r\n12345678901\r\n0\r\n\r\n"), l) == 413);
    // A chunk announcing more than the limit is refused before its data.
    CHECK(status_of(chunked("fffff\r\n"), l) == 413);
    // The limit can change per request (the per-directory value).
    mh::http::RequestParser p(l);
    std::string s = post({"Host: a", "Transfer-Encoding: chunked"}, "14\r\n01234567890123456789\r\n0\r\n\r\n");
    auto in = p.input_space(s.size());
    memcpy(in.data(), s.data(), s.size());
    p.commit(s.size());
    REQUIRE(p.next() == mh::http::RequestParser::Event::Head);
    p.set_body_limit(100);
    CHECK(p.next() == mh::http::RequestParser::Event::Body);
    CHECK(p.next() == mh::http::RequestParser::Event::End);
}

TEST_CASE("NUL bytes and control characters anywhere in the head: 400") {
    const std::string base = "GET /p HTTP/1.1\r\nHost: a\r\nX-Name: value\r\n\r\n";
    // Each byte position of the head (but the line ends) gets each bad byte.
    for (char bad : {'\0', '\x01', '\x08', '\x0b', '\x0c', '\x1b', '\x1f', '\x7f'}) {
        for (size_t at = 0; at < base.size() - 2; ++at) {
            if (base[at] == '\r' || base[at] == '\n') continue;
            std::string s = base;
            s.insert(at, 1, bad);
            Events e = mh::test::events_of(s);
            INFO("byte ", int(bad), " at ", at);
            CHECK(e == Events{"ERROR 400"});
        }
    }
    // ... and replacing a space or a colon.
    for (size_t at : {3u, 6u, 21u, 32u}) {
        std::string s = base;
        s[at] = '\0';
        CHECK(status_of(s) == 400);
    }
    // obs-text in a value is allowed; in a name or the target it is not.
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n") == 0);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: cafe\r\n\r\n") == 400);
}

TEST_CASE("methods: an invalid token is 400, an unknown one 501") {
    for (const char *m : {"G(T", "GET\t", "G@T", "G/T", "\"GET\"", "GE:T", "G{T}", "\xc3\x89T"})
        CHECK_MESSAGE(status_of(std::string(m) + " / HTTP/1.1\r\nHost: a\r\n\r\n") == 400, m);
    for (const char *m : {"FOO", "get", "Get", "GETS", "BREW", "X-CUSTOM", "HEADER"})
        CHECK_MESSAGE(status_of(std::string(m) + " / HTTP/1.1\r\nHost: a\r\n\r\n") == 501, m);
    CHECK(status_of("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n") == 501);
    // Separators in the request line are single spaces.
    CHECK(status_of("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /  HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of(" GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") == 400);
}

TEST_CASE("versions: HTTP/2.0 and others 505, malformed 400") {
    CHECK(status_of("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505);
    CHECK(status_of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == 505);
    CHECK(status_of("GET / HTTP/3.0\r\nHost: a\r\n\r\n") == 505);
    CHECK(status_of("GET / HTTP/0.9\r\nHost: a\r\n\r\n") == 505);
    CHECK(status_of("GET / HTTP/2.0\r\n\r\n") == 505);  // before any header rule
    for (const char *v : {"HTTP/1", "HTTP/1.", "HTTP/1.1.1", "HTTP/11", "HTTP/10.0", "http/1.1", "HTTP/1,1",
                          "HTTP/ 1.1", "HTTPS/1.1", "HTTP/1.x", "HTTP/-1.1", "HTTP\\1.1", "FOO"})
        CHECK_MESSAGE(status_of(std::string("GET / ") + v + "\r\nHost: a\r\n\r\n") == 400, v);
    // HTTP/0.9's simple request: no version at all.
    CHECK(status_of("GET /\r\n\r\n") == 400);
    CHECK(status_of("GET\r\n\r\n") == 400);
}

TEST_CASE("targets: '*' only for OPTIONS, no fragment, no raw non-ASCII, absolute-form checked") {
    CHECK(status_of("GET * HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("POST * HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n") == 400);
    CHECK(status_of("OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /#/../x HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /\x80 HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n") == 0);  // odd but visible ASCII: the path layer decides
    CHECK(status_of("GET //h/x HTTP/1.1\r\nHost: a\r\n\r\n") == 0);  // a path, not an authority
    for (const char *t : {"a/b", "ftp://h/x", "http:/x", "http:///x", "http://", "http://u@h/x",
                          "http://u:p@h/", "http://h:99999/", "http://h:x/", "mailto:a@b", "\\\\h\\x"})
        CHECK_MESSAGE(status_of(std::string("GET ") + t + " HTTP/1.1\r\nHost: a\r\n\r\n") == 400, t);
}

TEST_CASE("Expect: anything but 100-continue is 417") {
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: a", "Expect: 200-ok"})) == 417);
    CHECK(status_of(request("PUT / HTTP/1.1", {"Host: a", "Expect: 100-continue, foo", "Content-Length: 1"}, "x")) == 417);
    CHECK(status_of(request("PUT / HTTP/1.1", {"Host: a", "Expect: 100-continue", "Expect: x", "Content-Length: 1"}, "x")) == 417);
    CHECK(status_of(request("GET / HTTP/1.1", {"Host: a", "Expect: 100-continued"})) == 417);
}

TEST_CASE("endless empty lines before a request are not a way to hold a connection") {
    std::string s;
    for (int i = 0; i < 10; ++i) s += "\r\n";
    CHECK(status_of(s + "GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 0);
    for (int i = 0; i < 1000; ++i) s += "\r\n";
    CHECK(status_of(s) == 400);
    // Counted per request: a few after each of many requests are fine.
    std::string many;
    for (int i = 0; i < 20; ++i) many += "\r\n\r\n" + request("GET / HTTP/1.1", {"Host: a"});
    CHECK(check_splits(many).size() == 40);
}

TEST_CASE("a malformed request line or field is refused at once, before the head ends") {
    // No empty line follows any of these: the verdict may not wait for one
    // (Apache and nginx answer these at once too).
    CHECK(status_of("\x01\x02\x03 / HTTP/1.1\r\n") == 400);
    std::string garbage;
    for (int i = 0; i < 256; ++i) garbage += static_cast<char>((i * 167 + 13) & 0xff);
    CHECK(status_of(garbage) == 400);
    CHECK(status_of("GET /\r\n") == 400);           // HTTP/0.9: no version
    CHECK(status_of("GET / HTTP/1.1\n") == 400);    // bare LF
    CHECK(status_of("GET / HTTP/1.1\rX") == 400);   // bare CR
    CHECK(status_of("GET / HTTQ") == 400);          // not going to be a version
    CHECK(status_of("GET / HTTP/1.1\r\n") == 0);    // fine so far
    CHECK(status_of("GET / HTTP/2.0\r\n") == 505);  // refused when its line ends
    CHECK(status_of("BREW / HTTP/1.1\r\n") == 501);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: a\x01") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\n folded") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: y\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n") == 0);
}
