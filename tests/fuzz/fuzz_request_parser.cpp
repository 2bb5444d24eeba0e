// libFuzzer target: RequestParser (core/http/request_parser.h).
//
// Input layout (tests/fuzz/make_corpus.py writes seeds in it):
//   byte 0   limits: bits 0-1 LimitRequestLine {8190, 64, 24, 8},
//            bits 2-3 LimitRequestFieldSize {8190, 64, 24, 4},
//            bits 4-5 LimitRequestFields {100, 8, 2, 0},
//            bits 6-7 LimitRequestBody {1 GiB, 0 = unlimited, 64, 5}
//   byte 1   bits 0-1 set_body_limit() after each Head {no call, 0, 8, 1},
//            bits 2-3 how input_space() is asked {the chunk, 1, 4096, 0},
//            bits 4-7 n: how many split-size bytes follow (0: one byte at a time)
//   n bytes  chunk sizes, used in turn (0 stands for 4096)
//   rest     the bytes a client sends; then the client closes its side
//
// The bytes are fed in those chunks, every event is checked as it comes, and
// then the same bytes are fed again in one piece: both runs must tell the same
// story (heads, ends, bodies, error status). Invariants checked:
//   - after Error, next() only ever says Error, whatever is fed afterwards;
//   - next() says NeedMore in a bounded number of calls;
//   - head views lie inside the head's storage and are NUL-terminated, and
//     stay intact while the body is read;
//   - the body bytes handed out never exceed LimitRequestBody (when set) nor
//     Content-Length, and a request that ends has exactly Content-Length bytes;
//   - a cut between any two bytes changes nothing (the differential check).
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "http/request_parser.h"

namespace {

using mh::fuzz::printable;
using mh::http::BodyFraming;
using mh::http::Limits;
using mh::http::RequestHead;
using mh::http::RequestParser;
using Event = RequestParser::Event;

constexpr size_t kRequestLine[] = {8190, 64, 24, 8};
constexpr size_t kFieldSize[] = {8190, 64, 24, 4};
constexpr unsigned kFields[] = {100, 8, 2, 0};
constexpr uint64_t kBody[] = {1073741824, 0, 64, 5};
constexpr int64_t kBodyOverride[] = {-1, 0, 8, 1};

struct Control {
    Limits limits;
    int64_t body_override = -1;  // -1: set_body_limit() is not called
    unsigned space_mode = 0;
    std::vector<size_t> splits;
};

// One request as the application saw it.
struct Request {
    std::string head;  // describe(head) at the Head event
    std::string body;  // body bytes handed out
    bool ended = false;
};

// What one run produced, in terms that must not depend on how the input was cut.
struct Trace {
    std::vector<Request> requests;
    int error = 0;  // error_status() of the final Error, 0 if none
    std::string reason;
};

std::string describe(const RequestHead &h)
{
    std::string s;
    s.append(h.method).append(" ").append(h.target).append(" ").append(h.protocol);
    s += " id=" + std::to_string(h.method_id) + " v=" + std::to_string(h.version());
    switch (h.framing) {
    case BodyFraming::None: s += " none"; break;
    case BodyFraming::Length: s += " len=" + std::to_string(h.content_length); break;
    case BodyFraming::Chunked: s += " chunked"; break;
    }
    s += h.keep_alive ? " ka" : " close";
    if (h.expect_continue) s += " expect";
    if (h.target_host.data()) s.append(" thost=").append(h.target_host).append(" tpath=").append(h.target_path);
    for (const auto &f : h.headers) s.append("\n").append(f.name).append(": ").append(f.value);
    return s;
}

bool inside(std::string_view v, const char *begin, const char *end)
{
    return v.data() >= begin && v.data() + v.size() <= end;
}

bool nul_terminated(std::string_view v) { return v.data() && v.data()[v.size()] == '\0'; }

bool is_token_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// Checks a head as handed out with the Head event.
void check_head(const RequestHead &h, uint64_t body_limit)
{
    // The storage starts with the request line (method first) and ends with
    // the copy of the request line and its NUL.
    const char *begin = h.method.data();
    FUZZ_CHECK(begin != nullptr && h.request_line.data() != nullptr, "");
    const char *end = h.request_line.data() + h.request_line.size() + 1;
    FUZZ_CHECK(begin < end, "");
    FUZZ_CHECK(nul_terminated(h.request_line), printable(h.request_line));
    for (std::string_view v : {h.method, h.target, h.protocol}) {
        FUZZ_CHECK(inside(v, begin, h.request_line.data()), printable(v));
        FUZZ_CHECK(nul_terminated(v), printable(v));
    }
    std::string line;
    line.append(h.method).append(" ").append(h.target).append(" ").append(h.protocol);
    FUZZ_CHECK(h.request_line == line, printable(h.request_line) + " vs " + printable(line));
    FUZZ_CHECK(!h.method.empty() && !h.target.empty(), printable(h.request_line));
    for (unsigned char c : h.method) FUZZ_CHECK(is_token_byte(c), printable(h.method));
    for (unsigned char c : h.target) FUZZ_CHECK(c > 0x20 && c < 0x7f, printable(h.target));
    FUZZ_CHECK(h.protocol.size() == 8 && h.protocol.substr(0, 7) == "HTTP/1." && h.major == 1,
               printable(h.protocol));
    FUZZ_CHECK(h.method_id >= 0, "");

    for (const auto &f : h.headers) {
        FUZZ_CHECK(inside(f.name, begin, h.request_line.data()), printable(f.name));
        FUZZ_CHECK(inside(f.value, begin, h.request_line.data()), printable(f.value));
        FUZZ_CHECK(nul_terminated(f.name) && nul_terminated(f.value), printable(f.name));
        FUZZ_CHECK(!f.name.empty(), "");
        for (unsigned char c : f.name) FUZZ_CHECK(is_token_byte(c), printable(f.name));
        for (unsigned char c : f.value)
            FUZZ_CHECK(c == '\t' || (c >= 0x20 && c != 0x7f), printable(f.value));
        if (!f.value.empty()) {
            FUZZ_CHECK(f.value.front() != ' ' && f.value.front() != '\t', printable(f.value));
            FUZZ_CHECK(f.value.back() != ' ' && f.value.back() != '\t', printable(f.value));
        }
    }

    if (h.target_host.data()) {
        FUZZ_CHECK(inside(h.target_host, h.target.data(), h.target.data() + h.target.size()),
                   printable(h.target_host));
        FUZZ_CHECK(!h.target_path.empty(), printable(h.target));
        // target_path is the rest of the target after the authority, or "/"
        // when there is no path.
        bool rest = h.target_path.data() >= h.target.data() &&
                    h.target_path.data() + h.target_path.size() == h.target.data() + h.target.size();
        if (!rest) {
            // No path in the target: "/" plus the query, if any ("http://h?q" -> "/?q").
            size_t q = h.target.find('?');
            std::string expect = "/" + (q == std::string_view::npos ? std::string() : std::string(h.target.substr(q)));
            FUZZ_CHECK(h.target_path == expect, printable(h.target) + " -> " + printable(h.target_path));
        }
    }
    if (h.target == "*") FUZZ_CHECK(h.method == "OPTIONS", printable(h.request_line));
    FUZZ_CHECK(h.method != "CONNECT", printable(h.request_line));
    if (h.version() >= 1001) FUZZ_CHECK(h.header("Host").data() != nullptr, "HTTP/1.1 without Host");

    switch (h.framing) {
    case BodyFraming::None: FUZZ_CHECK(h.content_length == 0, ""); break;
    case BodyFraming::Length:
        FUZZ_CHECK(h.content_length > 0, "");
        if (body_limit) FUZZ_CHECK(h.content_length <= body_limit, std::to_string(h.content_length));
        break;
    case BodyFraming::Chunked: FUZZ_CHECK(h.version() >= 1001, "chunked from HTTP/1.0"); break;
    }
}

class Runner {
public:
    Runner(const Control &c, std::string_view data) : c_(c), data_(data), p_(c.limits) {}

    // split: in the chunks of c.splits; otherwise in one piece.
    Trace run(bool split)
    {
        size_t off = 0, turn = 0;
        while (off < data_.size() && !failed_) {
            size_t n = data_.size() - off;
            if (split) n = std::min(n, c_.splits[turn++ % c_.splits.size()]);
            feed(data_.substr(off, n));
            off += n;
        }
        if (!failed_) {
            p_.end_of_input();
            drain();
            FUZZ_CHECK(!failed_ || t_.error != 0, "");
            // The peer is gone: whatever was buffered must have been consumed.
            if (!failed_) FUZZ_CHECK(!p_.has_buffered_input(), "NeedMore after end_of_input with input left");
        }
        if (failed_) {
            // Nothing but Error from now on, however the driver insists.
            for (int i = 0; i < 2; ++i) FUZZ_CHECK(p_.next() == Event::Error, "an event after Error");
            std::span<char> space = p_.input_space(64);
            FUZZ_CHECK(space.size() >= 64, "");
            std::memcpy(space.data(), "GET / HTTP/1.0\r\n\r\n", 18);
            p_.commit(18);
            FUZZ_CHECK(p_.next() == Event::Error, "an event after Error (more input)");
            p_.end_of_input();
            FUZZ_CHECK(p_.next() == Event::Error, "an event after Error (end of input)");
            FUZZ_CHECK(p_.error_status() == t_.error, "");
        }
        return std::move(t_);
    }

private:
    size_t space_min(size_t want) const
    {
        switch (c_.space_mode) {
        case 1: return 1;
        case 2: return 4096;
        case 3: return 0;
        default: return want;
        }
    }

    void feed(std::string_view bytes)
    {
        while (!bytes.empty() && !failed_) {
            std::span<char> space = p_.input_space(space_min(bytes.size()));
            if (space.empty()) space = p_.input_space(1);  // input_space(0) on a full buffer
            FUZZ_CHECK(!space.empty(), "input_space(1) gave no room");
            size_t n = std::min(bytes.size(), space.size());
            std::memcpy(space.data(), bytes.data(), n);
            p_.commit(n);
            bytes.remove_prefix(n);
            fed_ += n;
            drain();
        }
    }

    // next() until NeedMore or Error, checking each event.
    void drain()
    {
        // Each event but End consumes input or ends the request; be generous.
        const size_t max_steps = 4 * fed_ + 16;
        for (;;) {
            FUZZ_CHECK(++steps_ <= max_steps, "next() keeps returning events without input");
            Event e = p_.next();
            switch (e) {
            case Event::NeedMore: return;
            case Event::Head: on_head(); break;
            case Event::Body: on_body(); break;
            case Event::End: on_end(); break;
            case Event::Error:
                failed_ = true;
                t_.error = p_.error_status();
                t_.reason = p_.error_reason() ? p_.error_reason() : "(null)";
                FUZZ_CHECK(t_.error >= 400 && t_.error <= 599, std::to_string(t_.error));
                return;
            }
        }
    }

    void on_head()
    {
        FUZZ_CHECK(t_.requests.empty() || t_.requests.back().ended, "Head before the previous request's End");
        const RequestHead &h = p_.head();
        check_head(h, c_.limits.body);
        t_.requests.push_back(Request{describe(h), {}, false});
        body_limit_ = c_.limits.body;
        if (c_.body_override >= 0) {
            body_limit_ = static_cast<uint64_t>(c_.body_override);
            p_.set_body_limit(body_limit_);
        }
    }

    void on_body()
    {
        FUZZ_CHECK(!t_.requests.empty() && !t_.requests.back().ended, "Body outside a request");
        Request &r = t_.requests.back();
        const RequestHead &h = p_.head();
        FUZZ_CHECK(h.framing != BodyFraming::None, "Body for a request without one");
        std::string_view chunk = p_.body_chunk();
        r.body.append(chunk);
        if (body_limit_ != 0)
            FUZZ_CHECK(r.body.size() <= body_limit_,
                       std::to_string(r.body.size()) + " body bytes over LimitRequestBody " +
                           std::to_string(body_limit_));
        if (h.framing == BodyFraming::Length)
            FUZZ_CHECK(r.body.size() <= h.content_length, "more body than Content-Length");
        FUZZ_CHECK(p_.body_received() >= r.body.size(), "");
        // The head must survive the body (its views point into the parser).
        FUZZ_CHECK(describe(h) == r.head, "head changed while reading the body");
    }

    void on_end()
    {
        FUZZ_CHECK(!t_.requests.empty() && !t_.requests.back().ended, "End outside a request");
        Request &r = t_.requests.back();
        const RequestHead &h = p_.head();
        FUZZ_CHECK(describe(h) == r.head, "head changed while reading the body");
        if (h.framing == BodyFraming::Length)
            FUZZ_CHECK(r.body.size() == h.content_length, "End before Content-Length bytes");
        if (h.framing == BodyFraming::None) FUZZ_CHECK(r.body.empty(), "");
        r.ended = true;
    }

    const Control &c_;
    std::string_view data_;
    RequestParser p_;
    Trace t_;
    bool failed_ = false;
    size_t fed_ = 0, steps_ = 0;
    uint64_t body_limit_ = 0;
};

bool is_prefix(const std::string &a, const std::string &b)
{
    return a.size() <= b.size() && b.compare(0, a.size(), a) == 0;
}

std::string dump(const Trace &t)
{
    std::string s;
    for (const Request &r : t.requests)
        s += "[" + printable(r.head, 80) + " body=" + printable(r.body, 40) + (r.ended ? " END] " : "] ");
    return s + "error=" + std::to_string(t.error) + " (" + t.reason + ")";
}

void compare(const Trace &split, const Trace &whole)
{
    std::string both = "\n  split: " + dump(split) + "\n  whole: " + dump(whole);
    FUZZ_CHECK(split.requests.size() == whole.requests.size(), "different number of requests" + both);
    for (size_t i = 0; i < split.requests.size(); ++i) {
        const Request &a = split.requests[i], &b = whole.requests[i];
        FUZZ_CHECK(a.head == b.head, "different heads" + both);
        FUZZ_CHECK(a.ended == b.ended, "a request ended in one run only" + both);
        if (a.ended) FUZZ_CHECK(a.body == b.body, "different bodies" + both);
        // A request cut short by an error may have handed out more of its body
        // in one run than in the other, but never different bytes.
        else FUZZ_CHECK(is_prefix(a.body, b.body) || is_prefix(b.body, a.body), "different bodies" + both);
    }
    FUZZ_CHECK(split.error == whole.error, "different error status" + both);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 65536) return 0;
    Control c;
    c.limits.request_line = kRequestLine[data[0] & 3];
    c.limits.field_size = kFieldSize[(data[0] >> 2) & 3];
    c.limits.fields = kFields[(data[0] >> 4) & 3];
    c.limits.body = kBody[(data[0] >> 6) & 3];
    c.body_override = kBodyOverride[data[1] & 3];
    c.space_mode = (data[1] >> 2) & 3;
    size_t n = data[1] >> 4;
    if (size < 2 + n) return 0;
    for (size_t i = 0; i < n; ++i) c.splits.push_back(data[2 + i] ? data[2 + i] : 4096);
    if (c.splits.empty()) c.splits.push_back(1);
    std::string_view bytes(reinterpret_cast<const char *>(data) + 2 + n, size - 2 - n);

    Trace split = Runner(c, bytes).run(true);
    Trace whole = Runner(c, bytes).run(false);
    if (mh::fuzz::verbose()) std::fprintf(stderr, "split: %s\nwhole: %s\n", dump(split).c_str(), dump(whole).c_str());
    compare(split, whole);
    return 0;
}
