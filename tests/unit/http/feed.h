// Drives a RequestParser the way the connection does, and writes down what
// comes out as a list of strings, so that runs can be compared:
//
//   "HEAD GET / HTTP/1.1 none ka expect=0 host=a"   a request head
//   "BODY hello"                                    body bytes (consecutive pieces merged)
//   "END"                                           end of the request
//   "ERROR 400"                                     the parser's verdict; nothing follows
//
// check_splits() feeds a stream all at once, cut in two at every position,
// and one byte at a time, and checks that every run gives the same list.
#pragma once

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_parser.h"

namespace mh::test {

using Events = std::vector<std::string>;

inline std::string describe(const http::RequestHead &h)
{
    std::string s = "HEAD ";
    s += h.method;
    s += ' ';
    s += h.target;
    s += ' ';
    s += h.protocol;
    switch (h.framing) {
    case http::BodyFraming::None: s += " none"; break;
    case http::BodyFraming::Length: s += " len=" + std::to_string(h.content_length); break;
    case http::BodyFraming::Chunked: s += " chunked"; break;
    }
    s += h.keep_alive ? " ka" : " close";
    if (h.expect_continue) s += " expect";
    std::string_view host = h.header("Host");
    if (host.data()) {
        s += " host=";
        s += host;
    }
    if (h.target_host.data()) {
        s += " thost=";
        s += h.target_host;
        s += " tpath=";
        s += h.target_path;
    }
    return s;
}

struct Run {
    Events events;
    bool failed = false;
};

// Feeds `pieces` in order; after the last, tells the parser the peer closed
// when `eof` is set.
inline Run feed(const std::vector<std::string_view> &pieces, const http::Limits &limits = {}, bool eof = false)
{
    http::RequestParser p(limits);
    Run run;
    auto drain = [&] {
        for (;;) {
            switch (p.next()) {
            case http::RequestParser::Event::NeedMore:
                return;
            case http::RequestParser::Event::Head:
                run.events.push_back(describe(p.head()));
                break;
            case http::RequestParser::Event::Body:
                if (!run.events.empty() && run.events.back().starts_with("BODY "))
                    run.events.back() += p.body_chunk();
                else
                    run.events.push_back("BODY " + std::string(p.body_chunk()));
                break;
            case http::RequestParser::Event::End:
                run.events.push_back("END");
                break;
            case http::RequestParser::Event::Error:
                run.events.push_back("ERROR " + std::to_string(p.error_status()));
                run.failed = true;
                // Once failed, the parser says so for good.
                CHECK(p.next() == http::RequestParser::Event::Error);
                return;
            }
        }
    };
    for (std::string_view piece : pieces) {
        if (run.failed) break;
        if (piece.empty()) continue;
        std::span<char> space = p.input_space(piece.size());
        REQUIRE(space.size() >= piece.size());
        memcpy(space.data(), piece.data(), piece.size());
        p.commit(piece.size());
        drain();
    }
    if (eof && !run.failed) {
        p.end_of_input();
        drain();
    }
    return run;
}

inline Events events_of(std::string_view stream, const http::Limits &limits = {}, bool eof = false)
{
    return feed({stream}, limits, eof).events;
}

inline std::string show(const Events &e)
{
    std::string s;
    for (const std::string &x : e) {
        for (char c : x) {
            if (c == '\r') s += "\\r";
            else if (c == '\n') s += "\\n";
            else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) s += "\\x" + std::to_string(int(c));
            else s += c;
        }
        s += " | ";
    }
    return s;
}

// Body bytes handed out before an error depend on how the input was cut
// (a streamed body is passed on as it comes): runs are compared without the
// body piece right before an error.
inline Events normalised(Events e)
{
    if (e.size() >= 2 && e.back().starts_with("ERROR ") && e[e.size() - 2].starts_with("BODY "))
        e.erase(e.end() - 2);
    return e;
}

// The events of `stream` fed at once; checks that any two-piece cut and a
// byte-by-byte feed give exactly the same events.
inline Events check_splits(std::string_view stream, const http::Limits &limits = {}, bool eof = false)
{
    Events whole = normalised(events_of(stream, limits, eof));
    for (size_t k = 1; k < stream.size(); ++k) {
        Events cut = normalised(feed({stream.substr(0, k), stream.substr(k)}, limits, eof).events);
        if (cut != whole) {
            INFO("cut at ", k, ": ", show(cut));
            INFO("whole: ", show(whole));
            CHECK(cut == whole);
            break;  // one report per stream is enough
        }
    }
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < stream.size(); ++i) bytes.push_back(stream.substr(i, 1));
    Events bytewise = normalised(feed(bytes, limits, eof).events);
    INFO("byte by byte: ", show(bytewise));
    INFO("whole: ", show(whole));
    CHECK(bytewise == whole);
    return whole;
}

// The status the parser answers `stream` with (checked over every cut), or
// 0 when it accepts everything.
inline int status_of(std::string_view stream, const http::Limits &limits = {}, bool eof = false)
{
    Events e = check_splits(stream, limits, eof);
    if (e.empty() || !e.back().starts_with("ERROR ")) return 0;
    return std::stoi(e.back().substr(6));
}

// A request head with the given header lines ("Name: value", CRLF added).
inline std::string request(std::string_view request_line, std::initializer_list<std::string_view> headers,
                           std::string_view body = {})
{
    std::string s(request_line);
    s += "\r\n";
    for (std::string_view h : headers) {
        s += h;
        s += "\r\n";
    }
    s += "\r\n";
    s += body;
    return s;
}

}  // namespace mh::test
