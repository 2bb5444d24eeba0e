#include "http/chunk_rules.h"

#include <algorithm>

#include "http/head_rules.h"

namespace mh::http {
namespace {

int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t'; }

// qdtext and the second byte of a quoted-pair (RFC 9110 5.6.4).
bool is_qdtext(unsigned char c) { return c == '\t' || (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f); }
bool is_quoted_pair_byte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

}  // namespace

void ChunkedSyntax::reset(size_t line_limit, unsigned max_trailers)
{
    *this = ChunkedSyntax{};
    line_limit_ = line_limit;
    max_trailers_ = max_trailers;
}

bool ChunkedSyntax::fail(const char *reason, int status)
{
    state_ = State::Failed;
    status_ = status;
    reason_ = reason;
    return false;
}

bool ChunkedSyntax::feed(const char *p, size_t n, uint64_t body_limit)
{
    for (size_t i = 0; i < n; ++i) {
        if (state_ == State::Data) {
            size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, n - i));
            remaining_ -= take;
            i += take - 1;
            if (remaining_ == 0) state_ = State::DataCR;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(p[i]);
        if (c != '\n' && ++line_ > line_limit_ + 1) return fail("chunk-size line or trailer field too long");
        switch (state_) {
        case State::SizeStart:
        case State::Size: {
            int v = hex_digit(c);
            if (v >= 0) {
                if (digits_ > 0 || v > 0) ++digits_;
                if (digits_ > 15) return fail("chunk size too large");
                remaining_ = remaining_ * 16 + static_cast<uint64_t>(v);
                state_ = State::Size;
            } else if (state_ == State::SizeStart) {
                return fail("invalid chunk size");
            } else if (c == ';') {
                state_ = State::ExtNameStart;
            } else if (is_space(c)) {
                state_ = State::ExtSpace;  // BWS before ';' (or before the CRLF, as Apache allows)
            } else if (c == '\r') {
                state_ = State::SizeLF;
            } else {
                return fail("invalid chunk size");
            }
            break;
        }
        case State::ExtSpace:  // after the size or after an extension
            if (c == ';') state_ = State::ExtNameStart;
            else if (c == '\r') state_ = State::SizeLF;
            else if (!is_space(c)) return fail("invalid chunk extension");
            break;
        case State::ExtNameStart:
            if (is_tchar(c)) state_ = State::ExtName;
            else if (!is_space(c)) return fail("invalid chunk extension");
            break;
        case State::ExtName:
        case State::ExtAfterName:
            if (state_ == State::ExtName && is_tchar(c)) break;
            if (is_space(c)) state_ = State::ExtAfterName;
            else if (c == '=') state_ = State::ExtValueStart;
            else if (c == ';') state_ = State::ExtNameStart;
            else if (c == '\r') state_ = State::SizeLF;
            else return fail("invalid chunk extension");
            break;
        case State::ExtValueStart:
            if (c == '"') state_ = State::ExtQuoted;
            else if (is_tchar(c)) state_ = State::ExtToken;
            else if (!is_space(c)) return fail("invalid chunk extension value");
            break;
        case State::ExtToken:
            if (is_tchar(c)) break;
            if (is_space(c)) state_ = State::ExtSpace;
            else if (c == ';') state_ = State::ExtNameStart;
            else if (c == '\r') state_ = State::SizeLF;
            else return fail("invalid chunk extension value");
            break;
        case State::ExtQuoted:
            if (c == '"') state_ = State::ExtSpace;
            else if (c == '\\') state_ = State::ExtQuotedPair;
            else if (!is_qdtext(c)) return fail("invalid chunk extension value");
            break;
        case State::ExtQuotedPair:
            if (!is_quoted_pair_byte(c)) return fail("invalid chunk extension value");
            state_ = State::ExtQuoted;
            break;
        case State::SizeLF:
            if (c != '\n') return fail("chunk-size line not ended by CRLF");
            line_ = 0;
            announced_ += remaining_;  // no overflow: sizes are below 2^60 and all but this one were received
            if (body_limit != 0 && announced_ > body_limit) return fail("body larger than LimitRequestBody", 413);
            state_ = remaining_ > 0 ? State::Data : State::TrailerStart;
            break;
        case State::DataCR:
            if (c != '\r') return fail("chunk data not followed by CRLF");
            state_ = State::DataLF;
            break;
        case State::DataLF:
            if (c != '\n') return fail("chunk data not followed by CRLF");
            line_ = 0;
            digits_ = 0;
            state_ = State::SizeStart;
            break;
        case State::TrailerStart:
            // Trailer fields follow the rules of header fields: CRLF line
            // ends (a bare LF is refused, as in the head), no obs-fold, no
            // space before ':'.
            if (c == '\r') {
                state_ = State::FinalLF;
            } else if (is_tchar(c)) {
                if (++trailers_ > max_trailers_) return fail("too many trailer fields");
                state_ = State::TrailerName;
            } else {
                return fail("invalid trailer field");
            }
            break;
        case State::TrailerName:
            if (c == ':') state_ = State::TrailerValue;
            else if (!is_tchar(c)) return fail("invalid trailer field name");
            break;
        case State::TrailerValue:
            if (c == '\r') state_ = State::TrailerLF;
            else if (!is_field_value_byte(c)) return fail("invalid character in trailer field");
            break;
        case State::TrailerLF:
            if (c != '\n') return fail("bare CR in trailer field");
            line_ = 0;
            state_ = State::TrailerStart;
            break;
        case State::FinalLF:
            if (c != '\n') return fail("chunked body not ended by CRLF");
            state_ = State::Done;
            break;
        case State::Done:
            return fail("bytes after the end of the chunked body");
        case State::Data:  // handled above
        case State::Failed:
            return false;
        }
    }
    return state_ != State::Failed;
}

}  // namespace mh::http
