#include "http/head_lexer.h"

#include <http_parser.h>

#include <array>
#include <string_view>

#include "http/head_rules.h"

namespace mh::http {
namespace {

enum ByteClass : uint8_t {
    kOther = 0,
    kToken = 1,   // tchar: method, field name
    kTarget = 2,  // visible ASCII but '#': request-target
    kValue = 4,   // HTAB, SP, VCHAR, obs-text: field value
};

constexpr std::array<uint8_t, 256> make_classes()
{
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        uint8_t k = 0;
        bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool token_punct = false;
        for (char p : std::string_view("!#$%&'*+-.^_`|~"))
            if (c == static_cast<unsigned char>(p)) token_punct = true;
        if (alnum || token_punct) k |= kToken;
        if (c > 0x20 && c < 0x7f && c != '#') k |= kTarget;
        if (c == '\t' || (c >= 0x20 && c != 0x7f)) k |= kValue;
        t[static_cast<size_t>(c)] = k;
    }
    return t;
}
constexpr std::array<uint8_t, 256> kClass = make_classes();

inline bool is(unsigned char c, ByteClass k) { return kClass[c] & k; }

bool known_method(std::string_view m)
{
    static constexpr const char *kMethods[] = {
#define MH_METHOD_NAME(num, name, string) #string,
        HTTP_METHOD_MAP(MH_METHOD_NAME)
#undef MH_METHOD_NAME
    };
    for (const char *k : kMethods)
        if (m == k) return true;
    return false;
}

// Where the run of `k` bytes from `pos` ends: the hot states take a run at
// once instead of a byte per turn of the state machine.
inline size_t run_end(const char *head, size_t pos, size_t avail, ByteClass k)
{
    while (pos < avail && is(static_cast<unsigned char>(head[pos]), k)) ++pos;
    return pos;
}

}  // namespace

HeadLexer::Result HeadLexer::too_long_field()
{
    return fail(431, "header fields over LimitRequestFieldSize or LimitRequestFields");
}

void HeadLexer::reset(size_t line_limit, size_t field_limit, unsigned max_fields)
{
    state_ = State::Method;
    pos_ = line_start_ = 0;
    sp1_ = sp2_ = line_len_ = 0;
    version_bytes_ = 0;
    value_started_ = false;
    line_limit_ = line_limit;
    field_limit_ = field_limit;
    max_fields_ = max_fields;
    fields_.clear();  // keeps its capacity: no allocation per request
    status_ = 0;
    reason_ = "";
}

HeadLexer::Result HeadLexer::fail(int status, const char *reason)
{
    state_ = State::Failed;
    status_ = status;
    reason_ = reason;
    return Result::Error;
}

// The whole request line is in: what its bytes alone could not tell.
HeadLexer::Result HeadLexer::end_request_line(const char *head)
{
    line_len_ = static_cast<uint32_t>(pos_ - 1);  // pos_ is at the LF, after the CR
    std::string_view method(head, sp1_);
    std::string_view protocol(head + sp2_ + 1, line_len_ - sp2_ - 1);
    if (protocol.size() != 8) return fail(400, "invalid HTTP version");
    if (protocol[5] != '1') return fail(505, "unsupported HTTP version");
    if (!known_method(method)) return fail(501, "method not implemented");
    return Result::NeedMore;
}

HeadLexer::Result HeadLexer::feed(const char *head, size_t avail)
{
    static constexpr std::string_view kHttp = "HTTP/";
    while (pos_ < avail) {
        unsigned char c = static_cast<unsigned char>(head[pos_]);
        switch (state_) {
        case State::Method:
            if (c == ' ') {
                if (pos_ == 0) return fail(400, "malformed request line");
                sp1_ = static_cast<uint32_t>(pos_);
                state_ = State::Target;
            } else if (!is(c, kToken)) {
                return fail(400, c == '\r' || c == '\n' ? "malformed request line" : "invalid method");
            }
            break;
        case State::Target:
            if (size_t end = run_end(head, pos_, avail, kTarget); end != pos_) {
                pos_ = end;
                if (pos_ - line_start_ > line_limit_) return fail(414, "request line longer than LimitRequestLine");
                continue;  // the byte that ended the run is looked at next
            }
            if (c == ' ') {
                if (pos_ == sp1_ + 1) return fail(400, "invalid request target");
                sp2_ = static_cast<uint32_t>(pos_);
                state_ = State::Version;
            } else if (c == '\r' || c == '\n') {
                // "GET /" alone: HTTP/0.9, whose answers carry no status or
                // headers; no client of this century sends it.
                return fail(400, "malformed request line (no HTTP version)");
            } else if (!is(c, kTarget)) {
                return fail(400, "invalid request target");
            }
            break;
        case State::Version:
            if (c == '\r') {
                state_ = State::LineLF;
                break;
            }
            {
                bool ok = version_bytes_ < 5   ? c == static_cast<unsigned char>(kHttp[version_bytes_])
                          : version_bytes_ == 6 ? c == '.'
                          : version_bytes_ < 8  ? c >= '0' && c <= '9'
                                                : false;
                if (!ok) return fail(400, c == '\n' ? "bare LF in the request line" : "invalid HTTP version");
                ++version_bytes_;
            }
            break;
        case State::LineLF:
            if (c != '\n') return fail(400, "bare CR in the request line");
            if (end_request_line(head) == Result::Error) return Result::Error;
            line_start_ = pos_ + 1;
            state_ = State::FieldStart;
            break;
        case State::FieldStart:
            if (c == '\r') {
                state_ = State::FinalLF;
            } else if (c == ' ' || c == '\t') {
                return fail(400, "obsolete line folding in header");
            } else if (is(c, kToken)) {
                field_ = Field{static_cast<uint32_t>(pos_), 0, 0, 0};
                state_ = State::Name;
            } else {
                return fail(400, c == '\n' ? "bare LF in the head" : "invalid header name");
            }
            break;
        case State::Name:
            if (size_t end = run_end(head, pos_, avail, kToken); end != pos_) {
                pos_ = end;
                if (pos_ - line_start_ > field_limit_) return too_long_field();
                continue;
            }
            if (c == ':') {
                field_.name_len = static_cast<uint32_t>(pos_ - field_.name);
                value_started_ = false;
                state_ = State::Value;
            } else if (!is(c, kToken)) {
                return fail(400, c == ' ' || c == '\t' ? "whitespace between header name and colon"
                                                       : "invalid character in header name");
            }
            break;
        case State::Value:
            if (size_t end = run_end(head, pos_, avail, kValue); end != pos_) {
                // Leading and trailing blanks are not the value's.
                size_t first = pos_, last = end;
                if (!value_started_)
                    while (first < end && (head[first] == ' ' || head[first] == '\t')) ++first;
                while (last > first && (head[last - 1] == ' ' || head[last - 1] == '\t')) --last;
                if (first < last) {
                    if (!value_started_) {
                        value_started_ = true;
                        field_.value = static_cast<uint32_t>(first);
                    }
                    field_.value_len = static_cast<uint32_t>(last - field_.value);
                }
                pos_ = end;
                if (pos_ - line_start_ > field_limit_) return too_long_field();
                continue;
            }
            if (c == '\r') {
                state_ = State::FieldLF;
            } else if (!is(c, kValue)) {
                return fail(400, c == '\n' ? "bare LF in a header field" : "invalid character in header value");
            } else if (c != ' ' && c != '\t') {
                if (!value_started_) {
                    value_started_ = true;
                    field_.value = static_cast<uint32_t>(pos_);
                }
                field_.value_len = static_cast<uint32_t>(pos_ + 1 - field_.value);
            }
            break;
        case State::FieldLF:
            if (c != '\n') return fail(400, "bare CR in a header field");
            if (!value_started_) field_.value = static_cast<uint32_t>(pos_ - 1);  // empty, just before the CR
            if (fields_.size() >= max_fields_)
                return fail(431, "header fields over LimitRequestFieldSize or LimitRequestFields");
            fields_.push_back(field_);
            line_start_ = pos_ + 1;
            state_ = State::FieldStart;
            break;
        case State::FinalLF:
            if (c != '\n') return fail(400, "bare CR at the end of the head");
            ++pos_;
            state_ = State::Done;
            return Result::Complete;
        case State::Done:
            return Result::Complete;
        case State::Failed:
            return Result::Error;
        }
        ++pos_;
        // Line limits as bytes arrive, so that an endless line is refused
        // before it is buffered (the CR of a line's end does not count).
        size_t line = pos_ - line_start_;
        if (state_ == State::LineLF || state_ == State::FieldLF) --line;
        if (state_ <= State::LineLF) {
            if (line > line_limit_) return fail(414, "request line longer than LimitRequestLine");
        } else if (line > field_limit_) {
            return fail(431, "header fields over LimitRequestFieldSize or LimitRequestFields");
        }
    }
    return state_ == State::Failed ? Result::Error : Result::NeedMore;
}

void HeadLexer::fill(std::string_view head, RequestHead &out) const
{
    out.request_line = head.substr(0, line_len_);
    out.method = head.substr(0, sp1_);
    out.target = head.substr(sp1_ + 1, sp2_ - sp1_ - 1);
    out.protocol = head.substr(sp2_ + 1, line_len_ - sp2_ - 1);
    out.major = out.protocol[5] - '0';
    out.minor = out.protocol[7] - '0';
    for (const Field &f : fields_)
        out.headers.push_back({head.substr(f.name, f.name_len), head.substr(f.value, f.value_len)});
}

}  // namespace mh::http
