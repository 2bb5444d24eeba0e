// The syntax of a chunked body (RFC 9112 7.1), checked byte by byte next to
// http_parser, which decodes it.
//
// Debian's libhttp_parser is built with HTTP_PARSER_STRICT=0, and then it
// takes any two bytes for the CRLF after chunk data, any byte for the LF
// after a chunk size, and anything up to a CR as a chunk extension: each a
// way for a front end and this server to disagree on where a body ends
// (request smuggling). Every body byte http_parser consumes goes through
// this checker too, and the two must agree on where the message ends.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mh::http {

class ChunkedSyntax {
public:
    // `line_limit`: longest chunk-size line or trailer field (bytes before
    // CRLF); `max_trailers`: most trailer fields.
    void reset(size_t line_limit, unsigned max_trailers);

    // Checks the next `n` bytes of the body. False at the first byte that
    // breaks the syntax or at any byte after the end of the message (400),
    // or at the chunk-size line that takes the announced total over
    // `body_limit` (413; 0 is no limit), before any of that chunk's data.
    bool feed(const char *p, size_t n, uint64_t body_limit);

    bool done() const { return state_ == State::Done; }
    int status() const { return status_; }
    const char *reason() const { return reason_; }

private:
    enum class State : uint8_t {
        SizeStart, Size, ExtSpace, ExtNameStart, ExtName, ExtAfterName, ExtValueStart,
        ExtToken, ExtQuoted, ExtQuotedPair, SizeLF, Data, DataCR, DataLF,
        TrailerStart, TrailerName, TrailerValue, TrailerLF, FinalLF, Done, Failed,
    };
    bool fail(const char *reason, int status = 400);

    State state_ = State::SizeStart;
    uint64_t remaining_ = 0;  // chunk size, then data bytes still to come
    uint64_t announced_ = 0;  // sum of the chunk sizes so far
    unsigned digits_ = 0;     // significant hex digits of the chunk size
    size_t line_ = 0;         // bytes of the current line so far
    unsigned trailers_ = 0;
    size_t line_limit_ = 8190;
    unsigned max_trailers_ = 100;
    int status_ = 0;
    const char *reason_ = "";
};

}  // namespace mh::http
