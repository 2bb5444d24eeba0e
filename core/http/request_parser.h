// The request side of the HTTP/1.1 engine: bytes in, events out.
//
// No socket I/O: the driver reads into input_space(), commits what it read,
// and calls next() until it says NeedMore. The parser stops at every event,
// so it can be resumed at any byte boundary and pipelined requests come out
// one at a time, in order.
//
// Framing is validated strictly (RFC 9112) before anything else looks at the
// request: that is what keeps request smuggling out. A head is checked as its
// bytes arrive (HeadLexer), so a malformed one is refused at once.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/chunk_rules.h"
#include "http/head_lexer.h"
#include "http/request_head.h"

namespace mh::http {

struct Limits {
    size_t request_line = 8190;    // LimitRequestLine
    size_t field_size = 8190;      // LimitRequestFieldSize
    unsigned fields = 100;         // LimitRequestFields
    uint64_t body = 1073741824;    // LimitRequestBody, 0 = unlimited
};

class RequestParser {
public:
    enum class Event {
        NeedMore,  // feed more bytes (input_space/commit)
        Head,      // head() holds a new request
        Body,      // body_chunk() holds the next piece of the body
        End,       // the request (and its body) is complete
        Error,     // error_status() says what to answer; the connection must close
    };

    explicit RequestParser(const Limits &limits);
    RequestParser(const RequestParser &) = delete;
    RequestParser &operator=(const RequestParser &) = delete;

    // Room for at least `min` more bytes of input. Invalidates body_chunk().
    std::span<char> input_space(size_t min = 4096);
    void commit(size_t n);
    // Between requests, with no input buffered: frees the input buffer and
    // the head's storage (an idle kept-alive connection holds no memory);
    // input_space() makes a new buffer.
    void release_buffers();
    // The peer closed its side: a request cut short becomes an Error.
    void end_of_input();

    Event next();

    const RequestHead &head() const { return head_; }
    std::string_view body_chunk() const { return chunk_; }
    uint64_t body_received() const { return body_received_; }
    int error_status() const { return error_status_; }
    const char *error_reason() const { return error_reason_; }

    // Bytes received but not yet parsed (a pipelined request, say).
    bool has_buffered_input() const { return end_ > pos_; }
    size_t buffered_input() const { return end_ - pos_; }
    // True when some of the current request head has arrived.
    bool head_started() const { return state_ == State::Head && end_ > pos_; }
    // While a head is still arriving: its request line once that line is
    // complete (without CRLF, unchecked), else empty. What a 408 on a head
    // that never ended logs, as Apache logs the request line it has read.
    std::string_view request_line_so_far() const;
    // True while some of the current request's body has yet to arrive.
    bool body_incomplete() const { return state_ == State::Body && !message_complete_; }
    // Tighten or loosen LimitRequestBody for the current request (per-directory value).
    void set_body_limit(uint64_t limit) { limits_.body = limit; }
    // Bytes of the current request seen so far (head and body, as sent).
    uint64_t request_bytes() const { return request_bytes_; }

private:
    enum class State { Head, Body, Done, Failed };

    Event parse_head();
    Event parse_body();
    Event fail(int status, const char *reason);
    bool take_head(size_t head_len);
    void grow_buffer(size_t size);

    static int on_body(http_parser *, const char *, size_t);
    static int on_message_complete(http_parser *);

    Limits limits_;
    const Limits defaults_;
    std::unique_ptr<char[]> buf_;  // input; allocated when first needed
    size_t cap_ = 0;
    size_t pos_ = 0;         // first unparsed byte
    size_t end_ = 0;         // end of received bytes
    HeadLexer lexer_;        // the head so far, checked as it arrives
    unsigned blank_lines_ = 0;  // empty lines skipped before this request line
    bool eof_ = false;

    State state_ = State::Head;
    RequestHead head_;
    std::string head_storage_;  // copy of the head; head_ views point here
    http_parser parser_;
    http_parser_settings settings_;
    ChunkedSyntax chunk_syntax_;  // checks what http_parser decodes
    std::string_view chunk_;
    std::vector<std::string_view> pending_;  // body pieces from one parser run
    size_t pending_next_ = 0;
    bool message_complete_ = false;
    uint64_t body_received_ = 0;
    uint64_t request_bytes_ = 0;

    int error_status_ = 0;
    const char *error_reason_ = "";
};

// The first bytes of a connection, as RequestParser reads a head: 0 while
// the head is incomplete, 1 once it is, or the status of a head that cannot
// be valid. For a front end that waits for heads without parsing them.
int scan_head(std::string_view bytes, const Limits &limits);

}  // namespace mh::http
