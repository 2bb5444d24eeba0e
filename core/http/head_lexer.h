// The byte-level syntax of a request head (RFC 9112 2-5), checked as the
// bytes arrive: a request line or field that cannot be valid is refused at
// its first bad byte, not when the whole head is in (binary garbage, a
// request line without a version, a stray control character). Every line
// ends in CRLF: a bare LF or a bare CR is refused, as Apache's
// "HttpProtocolOptions Strict" does, here and in chunked framing alike.
//
// The lexer records where each part lies, as offsets from the head's first
// byte, so that the parser can hand out views once the head is complete
// without looking at its bytes again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "http/request_head.h"

namespace mh::http {

class HeadLexer {
public:
    struct Field {
        uint32_t name = 0, name_len = 0;
        uint32_t value = 0, value_len = 0;  // without surrounding whitespace
    };

    enum class Result { NeedMore, Complete, Error };

    // `line_limit`: LimitRequestLine; `field_limit`: LimitRequestFieldSize;
    // `max_fields`: LimitRequestFields.
    void reset(size_t line_limit, size_t field_limit, unsigned max_fields);

    // Looks at head[scanned() .. avail): the bytes of the head so far,
    // starting at its first byte (after any empty lines before it).
    Result feed(const char *head, size_t avail);

    size_t scanned() const { return pos_; }      // bytes checked so far
    size_t head_length() const { return pos_; }  // with Complete: the whole head
    int status() const { return status_; }
    const char *reason() const { return reason_; }

    // With Complete, or once the request line has ended.
    bool request_line_done() const { return state_ > State::LineLF; }
    uint32_t request_line_length() const { return line_len_; }
    uint32_t method_length() const { return sp1_; }
    uint32_t target_offset() const { return sp1_ + 1; }
    uint32_t target_length() const { return sp2_ - sp1_ - 1; }
    uint32_t protocol_offset() const { return sp2_ + 1; }
    const std::vector<Field> &fields() const { return fields_; }

    // With Complete: `head` (a copy of the head's bytes) seen as request
    // line and fields, views into `head`.
    void fill(std::string_view head, RequestHead &out) const;

private:
    enum class State : uint8_t {
        Method, Target, Version, LineLF,              // the request line
        FieldStart, Name, Value, FieldLF, FinalLF,    // fields, then the empty line
        Done, Failed,
    };
    Result fail(int status, const char *reason);
    Result too_long_field();
    Result end_request_line(const char *head);

    State state_ = State::Method;
    size_t pos_ = 0;
    size_t line_start_ = 0;
    uint32_t sp1_ = 0, sp2_ = 0, line_len_ = 0;
    unsigned version_bytes_ = 0;
    Field field_{};
    bool value_started_ = false;
    size_t line_limit_ = 8190, field_limit_ = 8190;
    unsigned max_fields_ = 100;
    std::vector<Field> fields_;
    int status_ = 0;
    const char *reason_ = "";
};

}  // namespace mh::http
