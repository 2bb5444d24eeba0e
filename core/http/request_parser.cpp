#include "http/request_parser.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <vector>

#include "http/head_rules.h"
#include "util/spares.h"

namespace mh::http {
namespace {

// http_parser's own cap on head and trailer size is process-wide; ours are
// checked before it sees a head, so it only has to be at least as large.
void raise_parser_header_cap(const Limits &limits)
{
    static std::atomic<uint64_t> current{0};
    uint64_t need = limits.request_line + uint64_t(limits.fields + 1) * (limits.field_size + 2) + 4;
    need = std::max<uint64_t>(need, 1 << 20);
    need = std::min<uint64_t>(need, UINT32_MAX);
    uint64_t have = current.load();
    while (have < need) {
        if (current.compare_exchange_weak(have, need)) {
            http_parser_set_max_header_size(static_cast<uint32_t>(need));
            break;
        }
    }
}

// The input buffer's first size: a typical head in one read.
constexpr size_t kInputBuffer = 16384;

// Input buffers of that size that idle connections gave back.
struct InputBufferTag;
using InputBuffers = SpareList<std::unique_ptr<char[]>, InputBufferTag>;

// Apache's DEFAULT_LIMIT_BLANK_LINES.
constexpr unsigned kMaxBlankLines = 10;

}  // namespace

RequestParser::RequestParser(const Limits &limits) : limits_(limits), defaults_(limits)
{
    raise_parser_header_cap(limits);
    http_parser_settings_init(&settings_);
    settings_.on_body = on_body;
    settings_.on_message_complete = on_message_complete;
    parser_.data = this;
    lexer_.reset(limits_.request_line, limits_.field_size, limits_.fields);
}

std::span<char> RequestParser::input_space(size_t min)
{
    if (pos_ == end_) {
        pos_ = end_ = 0;
    } else if (pos_ > 0 && cap_ - end_ < min) {
        memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
    }
    if (cap_ - end_ < min) grow_buffer(end_ + std::max({min, cap_, kInputBuffer}));
    chunk_ = {};
    return {buf_.get() + end_, cap_ - end_};
}

void RequestParser::commit(size_t n) { end_ += std::min(n, cap_ - end_); }

// Not zero-filled: only what commit() says was read is ever looked at.
void RequestParser::grow_buffer(size_t size)
{
    if (cap_ == 0 && size == kInputBuffer && InputBuffers::take(buf_)) {
        cap_ = size;
        return;
    }
    std::unique_ptr<char[]> bigger(new char[size]);
    if (end_ > 0) memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    cap_ = size;
}

void RequestParser::release_buffers()
{
    if (has_buffered_input() || state_ == State::Body || lexer_.scanned() != 0) return;
    pos_ = end_ = 0;
    if (cap_ == kInputBuffer) InputBuffers::give(std::move(buf_));
    buf_.reset();
    cap_ = 0;
    head_.clear();  // its views point into the storage
    give_spare(head_storage_);
}

void RequestParser::end_of_input() { eof_ = true; }

RequestParser::Event RequestParser::next()
{
    switch (state_) {
    case State::Done:
        // The previous request is over: start the next one.
        state_ = State::Head;
        head_.clear();
        lexer_.reset(limits_.request_line, limits_.field_size, limits_.fields);
        [[fallthrough]];
    case State::Head:
        return parse_head();
    case State::Body:
        return parse_body();
    case State::Failed:
        break;
    }
    return Event::Error;
}

std::string_view RequestParser::request_line_so_far() const
{
    // Also after a refusal: the log shows what was sent.
    if ((state_ != State::Head && state_ != State::Failed) || pos_ >= end_) return {};
    const char *line = buf_.get() + pos_;
    const char *lf = static_cast<const char *>(memchr(line, '\n', end_ - pos_));
    if (lf == nullptr) return {};
    size_t len = static_cast<size_t>(lf - line);
    if (len > 0 && line[len - 1] == '\r') --len;
    return {line, len};
}

RequestParser::Event RequestParser::fail(int status, const char *reason)
{
    state_ = State::Failed;
    error_status_ = status;
    error_reason_ = reason;
    return Event::Error;
}

RequestParser::Event RequestParser::parse_head()
{
    if (lexer_.scanned() == 0) {
        // RFC 9112 2.2: empty lines before a request line are ignored; a
        // few of them, as Apache, not a stream of them that holds the
        // connection open. A CR waits for its LF.
        while (pos_ < end_ && buf_[pos_] == '\r') {
            if (pos_ + 1 == end_) return eof_ ? fail(400, "connection closed inside the request head") : Event::NeedMore;
            if (buf_[pos_ + 1] != '\n') break;  // the lexer refuses the bare CR
            pos_ += 2;
            if (++blank_lines_ > kMaxBlankLines) return fail(400, "too many empty lines before the request line");
        }
        request_bytes_ = 0;
        body_received_ = 0;
    }
    switch (lexer_.feed(buf_.get() + pos_, end_ - pos_)) {
    case HeadLexer::Result::Error:
        return fail(lexer_.status(), lexer_.reason());
    case HeadLexer::Result::NeedMore:
        if (eof_ && pos_ < end_) return fail(400, "connection closed inside the request head");
        return Event::NeedMore;
    case HeadLexer::Result::Complete:
        break;
    }
    if (!take_head(lexer_.head_length())) return Event::Error;
    return Event::Head;
}

bool RequestParser::take_head(size_t len)
{
    limits_ = defaults_;
    head_.clear();
    reuse_spare(head_storage_);
    head_storage_.clear();
    head_storage_.reserve(3 * len + 3);  // the head, then terminate_views' copies
    head_storage_.append(buf_.get() + pos_, len);
    pos_ += len;
    request_bytes_ = len;
    blank_lines_ = 0;
    message_complete_ = false;
    pending_.clear();
    pending_next_ = 0;

    // Our rules first, so that each refusal gets its own status (http_parser
    // would call an unknown transfer coding a 400, say). The lexer checked
    // the syntax as the bytes came; what they mean together is next.
    lexer_.fill(head_storage_, head_);
    if (Verdict v = check_semantics(head_, limits_.body); !v) return fail(v.status, v.reason), false;

    // http_parser frames the message; it reads the same head we checked.
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
    size_t used = http_parser_execute(&parser_, &settings_, head_storage_.data(), len);
    http_errno err = HTTP_PARSER_ERRNO(&parser_);
    if ((err != HPE_OK && err != HPE_PAUSED) || used != len)
        return fail(400, http_errno_description(err)), false;
    head_.method_id = parser_.method;

    // Both readings must agree on the framing, or the request is ambiguous.
    bool parser_chunked = parser_.flags & F_CHUNKED;
    bool agree = head_.framing == BodyFraming::Chunked
                     ? parser_chunked
                     : !parser_chunked && (head_.framing == BodyFraming::None) == message_complete_;
    if (!agree) return fail(400, "ambiguous message framing"), false;
    if (head_.framing == BodyFraming::Chunked) chunk_syntax_.reset(limits_.field_size, limits_.fields);

    terminate_views(head_storage_, head_);
    state_ = State::Body;
    return true;
}

RequestParser::Event RequestParser::parse_body()
{
    for (;;) {
        if (pending_next_ < pending_.size()) {
            chunk_ = pending_[pending_next_++];
            return Event::Body;
        }
        pending_.clear();
        pending_next_ = 0;
        if (message_complete_) {
            state_ = State::Done;
            return Event::End;
        }
        if (pos_ == end_) {
            if (eof_) return fail(400, "connection closed inside the request body");
            return Event::NeedMore;
        }
        size_t used = http_parser_execute(&parser_, &settings_, buf_.get() + pos_, end_ - pos_);
        http_errno err = HTTP_PARSER_ERRNO(&parser_);
        bool parser_failed = err != HPE_OK && err != HPE_PAUSED;
        if (head_.framing == BodyFraming::Chunked) {
            // The same bytes through the strict checker, before any of the
            // decoded data is handed out; then both must end the body at
            // the same byte.
            if (!chunk_syntax_.feed(buf_.get() + pos_, used, limits_.body))
                return fail(chunk_syntax_.status(), chunk_syntax_.reason());
            if (!parser_failed && chunk_syntax_.done() != message_complete_)
                return fail(400, "ambiguous chunked framing");
        }
        if (parser_failed) return fail(400, http_errno_description(err));
        pos_ += used;
        request_bytes_ += used;
        if (limits_.body != 0 && body_received_ > limits_.body)
            return fail(413, "body larger than LimitRequestBody");
    }
}

int RequestParser::on_body(http_parser *p, const char *at, size_t len)
{
    auto *self = static_cast<RequestParser *>(p->data);
    self->pending_.emplace_back(at, len);
    self->body_received_ += len;
    return 0;
}

int RequestParser::on_message_complete(http_parser *p)
{
    auto *self = static_cast<RequestParser *>(p->data);
    self->message_complete_ = true;
    http_parser_pause(p, 1);  // stop here: pipelined bytes belong to the next request
    return 0;
}

int scan_head(std::string_view bytes, const Limits &limits)
{
    // Empty lines before the request line, as parse_head skips them.
    size_t at = 0;
    for (unsigned blank = 0; at + 1 < bytes.size() && bytes[at] == '\r' && bytes[at + 1] == '\n'; at += 2)
        if (++blank > kMaxBlankLines) return 400;
    HeadLexer lexer;
    lexer.reset(limits.request_line, limits.field_size, limits.fields);
    switch (lexer.feed(bytes.data() + at, bytes.size() - at)) {
    case HeadLexer::Result::Complete: return 1;
    case HeadLexer::Result::Error: return lexer.status();
    case HeadLexer::Result::NeedMore: break;
    }
    return 0;
}

}  // namespace mh::http
