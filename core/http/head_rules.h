// The rules a request head must pass before anyone acts on it (RFC 9112),
// each failure mapped to the status a client gets.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "http/request_head.h"

namespace mh::http {

constexpr std::array<bool, 256> make_token_table()
{
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
    return t;
}
inline constexpr std::array<bool, 256> kTokenBytes = make_token_table();

// Inline: both run once per byte of every head, in and out.
// tchar (RFC 9110 5.6.2): the bytes of a token such as a method or field name.
inline bool is_tchar(unsigned char c) { return kTokenBytes[c]; }
// A byte that may stand in a field value: HTAB, SP, VCHAR, obs-text;
// anything else (NUL, a bare CR, other controls, DEL) is refused.
inline bool is_field_value_byte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

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
