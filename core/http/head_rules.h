// The rules a request head must pass before anyone acts on it (RFC 9112),
// each failure mapped to the status a client gets.
#pragma once

#include <string>

#include "http/request_head.h"

namespace mh::http {

// tchar (RFC 9110 5.6.2): the bytes of a token such as a method or field name.
bool is_tchar(unsigned char c);
// A byte that may stand in a field value: HTAB, SP, VCHAR, obs-text.
bool is_field_value_byte(unsigned char c);

struct Verdict {
    int status = 0;              // 0: passed
    const char *reason = "";
    explicit operator bool() const { return status == 0; }
};

// What the headers mean together: Host, Content-Length against
// Transfer-Encoding, Expect, Connection, the request-target's form.
// `chunked` and `content_length` come from http_parser, which framed the
// message the same way.
Verdict check_semantics(RequestHead &head, uint64_t body_limit);

// Ends every view of `head` with a NUL in `storage`, so they can be handed
// out as C strings, and moves request_line to a copy at the end of storage
// (its spaces become NULs); an absolute-form target_path that is only a
// query gets its "/" there too. `storage` must have capacity for both
// copies: three times the head's length and 3 bytes.
void terminate_views(std::string &storage, RequestHead &head);

}  // namespace mh::http
