#include "connection/connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "request/pipeline.h"
#include "scoreboard.h"
#include "server.h"

namespace mh {
namespace {

constexpr uint64_t kQueueLimit = 65536;     // send the queue once it holds this much
constexpr size_t kDirectWrite = 16384;      // bodies this large are written without copying (blocking)
constexpr uint64_t kMaxDiscard = 1 << 20;   // unread body we still read to keep a connection
constexpr uint64_t kPrereadLimit = 65536;   // a body this small is read on the loop before a worker runs
constexpr int64_t kLingerMs = 2000;         // a lingering close lasts this long at most
constexpr int64_t kLingerQuietMs = 500;     // ... and ends once the client is quiet this long
constexpr int64_t kIdleSliceMs = 500;       // how often an idle blocking wait looks at the stopping flag

void describe_peer(const sockaddr *sa, char *ip, size_t ip_len, int &port)
{
    if (sa == nullptr) return;
    if (sa->sa_family == AF_INET) {
        auto *in = reinterpret_cast<const sockaddr_in *>(sa);
        inet_ntop(AF_INET, &in->sin_addr, ip, ip_len);
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        auto *in6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], ip, ip_len);
        else
            inet_ntop(AF_INET6, &in6->sin6_addr, ip, ip_len);
        port = ntohs(in6->sin6_port);
    }
}

// The parser checks no body limit of its own at head time: LimitRequestBody
// is per directory, known once the request is mapped (read_body).
http::Limits head_limits(http::Limits limits)
{
    limits.body = 0;
    return limits;
}

}  // namespace

int64_t monotonic_ms()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void Connection::Deadline::start(const ReadTimeout &t, int64_t now)
{
    at_ms = t.seconds ? now + int64_t(t.seconds) * 1000 : INT64_MAX;
    cap_ms = t.max_seconds ? now + int64_t(t.max_seconds) * 1000 : INT64_MAX;
    min_rate = t.min_rate;
}

// "header=20-40,MinRate=500": each byte buys time, up to the maximum.
void Connection::Deadline::received(size_t bytes)
{
    if (min_rate && at_ms != INT64_MAX) at_ms = std::min(cap_ms, at_ms + int64_t(bytes) * 1000 / min_rate);
}

Connection::Connection(const mh_conn_info &info, mh_server &server, std::string_view initial,
                       int64_t head_started_ms)
    : fd_(info.fd), server_(server), slot_(info.slot), stopping_(info.stopping), socket_(info.fd),
      transport_(&socket_), parser_(head_limits(server.core.limits))
{
    describe_peer(info.peer, client_ip_, sizeof client_ip_, client_port_);
    snprintf(client_text_, sizeof client_text_, "%s:%d", client_ip_, client_port_);
    int flags = fcntl(fd_, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK)) fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
    if (!server.main_server->hooks.create_transport.empty()) {
        bool refused = false;
        module_transport_ = ModuleTransport::wrap(info, *server.main_server, local_ip(), local_port(), refused);
        if (module_transport_) {
            transport_ = module_transport_.get();
            const char *https = transport_->var("HTTPS");
            secure_ = https && strcasecmp(https, "on") == 0;
        }
        if (refused) state_ = State::Closed;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    request_.conn = this;
    request_.server = &server;
    if (slot_) {
        slot_->conn_count.store(0, std::memory_order_relaxed);
        slot_->conn_bytes.store(0, std::memory_order_relaxed);
    }
    if (!initial.empty()) {
        std::span<char> space = parser_.input_space(initial.size());
        memcpy(space.data(), initial.data(), initial.size());
        parser_.commit(initial.size());
    }
    last_read_ms_ = monotonic_ms();
    // A front end that waited for the head: its clock started then, and
    // what it waited for is read before the deadline is judged.
    handed_over_ = head_started_ms > 0;
    head_deadline_.start(server_.core.header_timeout, handed_over_ ? std::min(head_started_ms, last_read_ms_) : last_read_ms_);
}

int64_t Connection::head_deadline(const mh_server &s, int64_t started_ms, int64_t last_ms, size_t received)
{
    Deadline d;
    d.start(s.core.header_timeout, started_ms);
    d.received(received);
    return std::min(d.at_ms, last_ms + int64_t(s.core.timeout) * 1000);
}

Connection::~Connection()
{
    out_.clear();
    module_transport_.reset();  // before the socket closes: TLS may say goodbye on it
    if (fd_ >= 0) close(fd_);
}

const char *Connection::local_ip() const
{
    local_port();
    return local_ip_;
}

int Connection::local_port() const
{
    if (local_port_ < 0) {
        local_port_ = 0;
        sockaddr_storage local{};
        socklen_t len = sizeof local;
        if (getsockname(fd_, reinterpret_cast<sockaddr *>(&local), &len) == 0)
            describe_peer(reinterpret_cast<sockaddr *>(&local), local_ip_, sizeof local_ip_, local_port_);
    }
    return local_port_;
}

void Connection::set_slot(mh_slot *slot)
{
    if (slot == slot_) return;
    slot_ = slot;
    bool in_request = state_ == State::Request || state_ == State::NeedWorker || state_ == State::Preread;
    if (slot && in_request)
        scoreboard::request_started(slot, request_.request_line, client_text_, request_.hostname, request_.protocol,
                                    request_.start_us);
}

void Connection::set_state(int state)
{
    if (slot_) slot_->state.store(state, std::memory_order_relaxed);
}

Connection::Phase Connection::phase() const
{
    switch (state_) {
    case State::Head:
        if (requests_ > 0 && !parser_.head_started()) return Phase::KeepAlive;
        return Phase::Reading;
    case State::Discard:
        return Phase::Reading;
    case State::Request:
    case State::Preread:
    case State::NeedWorker:
        return Phase::Busy;
    case State::Flush:
        return Phase::Writing;
    case State::Linger:
    case State::Closed:
        break;
    }
    return Phase::Closing;
}

// ---- driving ------------------------------------------------------------------------

void Connection::serve()
{
    blocking_ = true;
    for (;;) {
        Want w = advance();
        if (w == Want::Done) break;
        if (w == Want::Worker) {  // not when blocking: the pipeline runs through
            run_blocking_part();
            continue;
        }
        bool idle = state_ == State::Head && requests_ > 0 && !parser_.head_started();
        wait(w, deadline_, idle);
        expect_data_ = true;
    }
    set_state(MH_WORKER_CLOSING);
}

Connection::Want Connection::step()
{
    blocking_ = false;
    expect_data_ = true;  // called on readiness or on the deadline: reading tells which
    return advance();
}

void Connection::run_blocking_part()
{
    blocking_ = true;
    if (state_ == State::NeedWorker) state_ = State::Request;
    while (state_ == State::Request) {
        pipeline::resume(request_, false);  // to its end: nothing yields when blocking
        end_request();
    }
}

Connection::Want Connection::advance()
{
    for (;;) {
        Next wait;
        switch (state_) {
        case State::Head: wait = on_head(); break;
        case State::Request: wait = on_request(); break;
        case State::Preread: wait = on_preread(); break;
        case State::NeedWorker: return Want::Worker;
        case State::Flush: wait = on_flush(); break;
        case State::Discard: wait = on_discard(); break;
        case State::Linger: wait = on_linger(); break;
        case State::Closed: return Want::Done;
        }
        if (!wait) continue;
        // Input the transport holds (TLS records decrypted ahead) never makes
        // the socket readable: read it now rather than wait for it.
        if (*wait == Want::Read && !expect_data_ && transport_->has_pending_input()) {
            expect_data_ = true;
            continue;
        }
        return socket_want(*wait);
    }
}

Connection::Want Connection::socket_want(Want w) const
{
    if (!module_transport_ || (w != Want::Read && w != Want::Write)) return w;
    return transport_->wants() == Transport::kWritable ? Want::Write : Want::Read;
}

// A small body is read on the loop, so that the worker does not wait for it.
Connection::Next Connection::on_preread()
{
    uint64_t need = parser_.head().content_length;
    int64_t now = monotonic_ms();
    deadline_ = std::min(body_deadline_.at_ms, last_read_ms_ + int64_t(request_.server->core.timeout) * 1000);
    // Past the deadline too: the worker's read_body answers the 408.
    if (eof_ || aborted_ || parser_.buffered_input() + parser_.body_received() >= need || now >= deadline_) {
        state_ = State::NeedWorker;
        return std::nullopt;
    }
    switch (read_some(&body_deadline_)) {
    case Read::Got: break;
    case Read::Again: return Want::Read;
    case Read::Eof: parser_.end_of_input(), eof_ = true; break;
    case Read::Failed: aborted_ = true; break;
    }
    return std::nullopt;
}

Connection::Read Connection::read_some(Deadline *rate)
{
    std::span<char> space = parser_.input_space(4096);
    ssize_t n = transport_->read(space.data(), space.size());
    if (n > 0) {
        parser_.commit(static_cast<size_t>(n));
        last_read_ms_ = monotonic_ms();
        if (rate) rate->received(static_cast<size_t>(n));
        return Read::Got;
    }
    if (n == 0) return Read::Eof;
    return errno == EAGAIN ? Read::Again : Read::Failed;
}

// Between requests, or while a head arrives.
Connection::Next Connection::on_head()
{
    switch (parser_.next()) {
    case http::RequestParser::Event::Head:
        start_request();
        return std::nullopt;
    case http::RequestParser::Event::Error:
        answer_parse_error();
        return std::nullopt;
    case http::RequestParser::Event::NeedMore:
        break;
    default:  // Body/End outside a request cannot happen: requests consume their body
        state_ = State::Closed;
        return std::nullopt;
    }
    if (!out_.empty()) {  // pipelined answers leave before we wait for more
        after_flush_ = State::Head;
        state_ = State::Flush;
        return std::nullopt;
    }
    bool idle = !parser_.head_started();
    if (eof_ || aborted_) {  // a partial head became the parser's 400 above
        state_ = State::Closed;
        return std::nullopt;
    }
    int64_t now = monotonic_ms();
    // Stopping ends a connection between requests only: the first one,
    // accepted already, is served (Apache; mpm.h "after the current request").
    if (idle && requests_ > 0) {
        if (stopping()) {
            state_ = State::Closed;
            return std::nullopt;
        }
        set_state(MH_WORKER_KEEPALIVE);
        deadline_ = std::min(deadline_, now + int64_t(request_.server->core.keep_alive_timeout_ms));
    } else {
        set_state(MH_WORKER_READ);
        deadline_ = std::min(head_deadline_.at_ms, last_read_ms_ + int64_t(request_.server->core.timeout) * 1000);
    }
    if (now >= deadline_ && !handed_over_) {
        if (idle) state_ = State::Closed;
        else answer_timeout();
        return std::nullopt;
    }
    if (!expect_data_) return wait_for_head(idle);
    handed_over_ = false;
    switch (read_some(&head_deadline_)) {
    case Read::Got:
        // A kept-alive connection's next request starts its header clock now.
        if (idle && requests_ > 0) head_deadline_.start(server_.core.header_timeout, now);
        return std::nullopt;
    case Read::Eof:
        parser_.end_of_input();  // a partial head becomes a 400 in the parser
        eof_ = true;
        return std::nullopt;
    case Read::Again:
        expect_data_ = false;
        return wait_for_head(idle);
    case Read::Failed:
        aborted_ = true;
        state_ = State::Closed;
        return std::nullopt;
    }
    return std::nullopt;
}

// An event loop holds its idle connections by the thousand: while one
// waits for its next request it keeps its socket and nothing else (as
// nginx frees its buffers on an idle keep-alive connection). A blocking
// MPM's thread keeps them: it waits for this connection only.
Connection::Want Connection::wait_for_head(bool idle)
{
    if (idle && !blocking_) {
        request_.reset();
        request_.pool.release();
        parser_.release_buffers();
        out_.release();
    }
    return Want::Read;
}

void Connection::start_request()
{
    body_clock_started_ = false;
    request_.reset();
    request_.keepalive_count = requests_;
    pipeline::begin(request_);
    state_ = State::Request;
}

Connection::Next Connection::on_request()
{
    if (pipeline::resume(request_, !blocking_) == pipeline::Progress::NeedsWorker) {
        const http::RequestHead &h = parser_.head();
        uint64_t limit = body_limit(request_);
        bool small_body = h.framing == http::BodyFraming::Length && !h.expect_continue && !request_.body_started &&
                          h.content_length <= kPrereadLimit && (limit == 0 || h.content_length <= limit) &&
                          parser_.buffered_input() + parser_.body_received() < h.content_length;
        if (small_body) {
            last_read_ms_ = monotonic_ms();
            body_deadline_.start(server_.core.body_timeout, last_read_ms_);
            body_clock_started_ = true;  // read_body goes on with the same deadlines
            set_state(MH_WORKER_READ);
            state_ = State::Preread;
            return std::nullopt;
        }
        state_ = State::NeedWorker;
        return Want::Worker;
    }
    end_request();
    return std::nullopt;
}

void Connection::end_request()
{
    ++requests_;
    mh_request &r = request_;
    if (r.head && r.head->framing == http::BodyFraming::None && !r.body_done) {
        parser_.next();  // the parser's End of a request without a body
        r.body_done = true;
    }
    bool unread_body = r.head && r.head->framing != http::BodyFraming::None && !r.body_done && !r.body_failed;
    bool refused = r.head == nullptr;  // answered before any head was taken
    if (!r.keep_alive || aborted_)
        after_flush_ = !aborted_ && (refused || client_may_still_send()) ? State::Linger : State::Closed;
    else if (unread_body) after_flush_ = State::Discard;
    else after_flush_ = State::Head;
    // Read before polling, as Apache does (when this thread may block): under
    // load the next request is usually there already, and a recv that says
    // EAGAIN costs less than a poll per request. An event loop waits for
    // readiness instead.
    expect_data_ = blocking_;
    last_read_ms_ = monotonic_ms();
    head_deadline_.start(server_.core.header_timeout, last_read_ms_);
    deadline_ = INT64_MAX;
    // Pipelined requests: their answers leave together, up to a bound.
    if (after_flush_ == State::Head && parser_.has_buffered_input() && out_.pending_bytes() < kQueueLimit) {
        state_ = State::Head;
        return;
    }
    state_ = State::Flush;
}

Connection::Next Connection::on_flush()
{
    int64_t now = monotonic_ms();
    if (!out_.empty()) {
        uint64_t sent = 0;
        OutputQueue::Flush f = out_.flush(*transport_, sent);
        if (slot_ && sent) slot_->conn_bytes.fetch_add(sent, std::memory_order_relaxed);
        if (f == OutputQueue::Flush::Error) {
            aborted_ = true;
            out_.clear();
            state_ = State::Closed;
            return std::nullopt;
        }
        if (f == OutputQueue::Flush::Again) {
            if (sent || deadline_ == INT64_MAX) deadline_ = now + int64_t(request_.server->core.timeout) * 1000;
            if (now >= deadline_) {  // the client stopped reading
                aborted_ = true;
                out_.clear();
                state_ = State::Closed;
                return std::nullopt;
            }
            return Want::Write;
        }
    }
    state_ = after_flush_;
    after_flush_ = State::Head;
    if (state_ == State::Head) deadline_ = now + int64_t(request_.server->core.keep_alive_timeout_ms);
    if (state_ == State::Linger) {
        set_state(MH_WORKER_CLOSING);
        if (!transport_->shutdown_write()) state_ = State::Closed;
        linger_until_ = now + kLingerMs;
        deadline_ = now + kLingerQuietMs;
    }
    if (state_ == State::Discard) {
        body_deadline_.start(server_.core.body_timeout, now);
        last_read_ms_ = now;
    }
    return std::nullopt;
}

// The body a finished request left unread is read and dropped, so that the
// connection can serve the next one (it is small: see decide_keep_alive).
Connection::Next Connection::on_discard()
{
    mh_request &r = request_;
    for (;;) {
        body_rest_ = {};
        switch (parser_.next()) {
        case http::RequestParser::Event::Body:
            r.body_discarded += parser_.body_chunk().size();
            if (r.body_discarded > kMaxDiscard) return close_or_linger(true), std::nullopt;
            continue;
        case http::RequestParser::Event::End:
            r.body_done = true;
            state_ = State::Head;
            deadline_ = monotonic_ms() + int64_t(request_.server->core.keep_alive_timeout_ms);
            return std::nullopt;
        case http::RequestParser::Event::NeedMore:
            break;
        default:
            return close_or_linger(true), std::nullopt;
        }
        int64_t now = monotonic_ms();
        deadline_ = std::min(body_deadline_.at_ms, last_read_ms_ + int64_t(request_.server->core.timeout) * 1000);
        if (now >= deadline_) return close_or_linger(true), std::nullopt;
        if (!expect_data_) return Want::Read;
        Read got = read_some(&body_deadline_);
        if (got == Read::Again) {
            expect_data_ = false;
            return Want::Read;
        }
        if (got == Read::Eof) parser_.end_of_input();
        if (got == Read::Failed) return close_or_linger(false), std::nullopt;
    }
}

Connection::Next Connection::on_linger()
{
    // Apache's lingering close: we sent our FIN; what the client still
    // sends is read and dropped for a moment, so that our response is not
    // destroyed by a reset in its receive buffer.
    // It ends at the client's FIN, after kLingerMs in all, or once the
    // client has been quiet for kLingerQuietMs (a slow one does not hold us).
    char sink[4096];
    for (;;) {
        int64_t now = monotonic_ms();
        if (now >= deadline_) break;
        ssize_t n = transport_->read(sink, sizeof sink);
        if (n > 0) {
            deadline_ = std::min(linger_until_, now + kLingerQuietMs);
            continue;
        }
        if (n < 0 && errno == EAGAIN) return Want::Read;
        break;  // the client's FIN, or an error
    }
    state_ = State::Closed;
    return std::nullopt;
}

void Connection::close_or_linger(bool linger)
{
    if (linger) {
        after_flush_ = State::Linger;
        state_ = State::Flush;
    } else {
        state_ = State::Closed;
    }
}

// A refused head: the answer, then the Log stage of the pipeline, then a
// lingering close (end_request: a request without a head always lingers).
void Connection::answer_parse_error()
{
    request_.reset();
    request_.keepalive_count = requests_;
    pipeline::reject(request_, parser_.error_status(), parser_.error_reason());
    set_state(MH_WORKER_CLOSING);
    state_ = State::Request;
}

void Connection::answer_timeout()
{
    request_.reset();
    request_.keepalive_count = requests_;
    pipeline::reject(request_, 408, "timed out reading the request head");
    state_ = State::Request;  // a client still sending must get the 408, not a reset
}

// Whether closing now could reset data the client is still sending, which
// would destroy our response in its receive buffer (RFC 9112 9.6). A client
// that asked for the close and whose request arrived whole sends nothing
// more, so the lingering close is spared (as nginx does): three system calls
// and a worker held until the client closes.
bool Connection::client_may_still_send() const
{
    return parser_.has_buffered_input() || parser_.body_incomplete() || parser_.head().keep_alive;
}

bool Connection::wait(Want w, int64_t deadline, bool idle)
{
    w = socket_want(w);
    if (w == Want::Read && transport_->has_pending_input()) return true;  // the transport holds input
    pollfd pfd{fd_, short(w == Want::Write ? POLLOUT : POLLIN), 0};
    // An idle connection looks at the stopping flag twice a second, so that a
    // graceful restart does not wait for KeepAliveTimeout: under a threaded
    // MPM the signal that sets the flag reaches one thread, not this one.
    for (;;) {
        if (idle && stopping()) return false;
        int64_t remaining = deadline - monotonic_ms();
        if (remaining <= 0) return false;
        int64_t slice = idle ? std::min(remaining, kIdleSliceMs) : remaining;
        int rc = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(slice, INT32_MAX)));
        if (rc > 0) return true;
        if (rc < 0 && errno != EINTR) return true;  // the read or write says what went wrong
    }
}

// ---- output ---------------------------------------------------------------------------

bool Connection::flush_blocking()
{
    int64_t deadline = monotonic_ms() + int64_t(request_.server->core.timeout) * 1000;
    for (;;) {
        uint64_t sent = 0;
        OutputQueue::Flush f = out_.flush(*transport_, sent);
        if (slot_ && sent) slot_->conn_bytes.fetch_add(sent, std::memory_order_relaxed);
        if (f == OutputQueue::Flush::Done) return true;
        if (sent) deadline = monotonic_ms() + int64_t(request_.server->core.timeout) * 1000;
        if (f == OutputQueue::Flush::Error || !wait(Want::Write, deadline, false)) {
            aborted_ = true;
            out_.clear();
            return false;
        }
    }
}

bool Connection::flush()
{
    if (aborted_) return false;
    if (blocking_) return flush_blocking();
    uint64_t sent = 0;
    if (out_.flush(*transport_, sent) == OutputQueue::Flush::Error) {
        aborted_ = true;
        out_.clear();
    }
    if (slot_ && sent) slot_->conn_bytes.fetch_add(sent, std::memory_order_relaxed);
    return !aborted_;
}

bool Connection::send(std::string_view bytes)
{
    if (aborted_) return false;
    if (blocking_ && bytes.size() >= kDirectWrite) {
        // A large body goes out with what is queued, in one writev, uncopied.
        int64_t deadline = monotonic_ms() + int64_t(request_.server->core.timeout) * 1000;
        while (!bytes.empty()) {
            size_t took = 0;
            uint64_t sent = 0;
            OutputQueue::Flush f = out_.write_with(*transport_, bytes, took, sent);
            if (slot_ && sent) slot_->conn_bytes.fetch_add(sent, std::memory_order_relaxed);
            bytes.remove_prefix(took);
            if (f == OutputQueue::Flush::Done) continue;
            if (sent) deadline = monotonic_ms() + int64_t(request_.server->core.timeout) * 1000;
            if (f == OutputQueue::Flush::Error || !wait(Want::Write, deadline, false)) {
                aborted_ = true;
                out_.clear();
                return false;
            }
        }
        return true;
    }
    out_.append(bytes);
    if (out_.pending_bytes() > kQueueLimit) return flush();
    return true;
}

bool Connection::send_pair(std::string_view head, std::string_view body) { return send(head) && send(body); }

bool Connection::send_file(int file, int64_t offset, int64_t length)
{
    if (aborted_) return false;
    out_.append_file(file, offset, length, false);
    if (blocking_) return flush_blocking();
    // On a loop: as much as the socket takes now; the rest waits for the
    // loop, on a descriptor of its own (the handler closes its file).
    if (!flush()) return false;
    if (!out_.own_files()) {
        aborted_ = true;
        out_.clear();
    }
    return !aborted_;
}

// ---- the request body ---------------------------------------------------------------

bool Connection::body_buffered() const
{
    const http::RequestHead &h = parser_.head();
    if (h.framing == http::BodyFraming::None || request_.body_done) return true;
    if (h.framing == http::BodyFraming::Chunked) return false;
    return parser_.buffered_input() + parser_.body_received() + body_rest_.size() >= h.content_length;
}

long Connection::read_body(mh_request &r, char *buf, size_t n)
{
    if (r.body_failed) return -1;
    if (r.body_done || n == 0) return 0;
    const http::RequestHead &head = parser_.head();
    if (head.framing == http::BodyFraming::None) {
        r.body_done = true;
        parser_.next();  // the parser's End for this request
        return 0;
    }
    if (!r.body_started) {
        r.body_started = true;
        uint64_t limit = body_limit(r);
        parser_.set_body_limit(limit);
        if (limit != 0 && head.framing == http::BodyFraming::Length && head.content_length > limit) {
            r.status = 413;
            r.body_failed = true;
            return -1;
        }
        if (head.expect_continue && !r.headers_sent) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            if (!send(kContinue) || !flush()) return r.body_failed = true, -1;
            r.continue_sent = true;
        }
        if (!body_clock_started_) {
            last_read_ms_ = monotonic_ms();
            body_deadline_.start(server_.core.body_timeout, last_read_ms_);
        }
    }
    set_state(MH_WORKER_READ);
    size_t copied = 0;
    while (copied < n) {
        if (!body_rest_.empty()) {
            size_t take = std::min(n - copied, body_rest_.size());
            memcpy(buf + copied, body_rest_.data(), take);
            body_rest_.remove_prefix(take);
            copied += take;
            continue;
        }
        if (copied > 0 && !parser_.has_buffered_input()) break;  // hand over what we have
        switch (parser_.next()) {
        case http::RequestParser::Event::Body:
            body_rest_ = parser_.body_chunk();
            continue;
        case http::RequestParser::Event::End:
            r.body_done = true;
            set_state(MH_WORKER_WRITE);
            return static_cast<long>(copied);
        case http::RequestParser::Event::NeedMore: {
            if (!blocking_) {
                // A hook on an event loop reads only what arrived (the loop
                // runs handlers only once the body is in): it may not wait.
                r.status = 500;
                r.body_failed = true;
                return -1;
            }
            Read got = read_some(&body_deadline_);
            if (got == Read::Got) continue;
            if (got == Read::Eof || got == Read::Failed) {
                parser_.end_of_input();  // the parser turns a cut body into an error
                if (got == Read::Failed) aborted_ = true;
                continue;
            }
            int64_t deadline = std::min(body_deadline_.at_ms, last_read_ms_ + int64_t(request_.server->core.timeout) * 1000);
            if (wait(Want::Read, deadline, false)) continue;
            r.status = 408;
            r.body_failed = true;
            return -1;
        }
        default:
            r.status = parser_.error_status();
            r.body_failed = true;
            return -1;
        }
    }
    set_state(MH_WORKER_WRITE);
    return static_cast<long>(copied);
}

bool Connection::discard_body(mh_request &r)
{
    if (r.body_failed) return false;
    if (r.body_done) return true;
    if (parser_.head().framing == http::BodyFraming::None) {
        r.body_done = true;
        return parser_.next() == http::RequestParser::Event::End;  // the parser's End for this request
    }
    if (parser_.head().expect_continue && !r.continue_sent) return false;  // client may not send it
    char scratch[8192];
    uint64_t discarded = 0;
    for (;;) {
        long n = read_body(r, scratch, sizeof scratch);
        if (n < 0) return false;
        if (n == 0) return r.body_done;
        discarded += static_cast<uint64_t>(n);
        if (discarded > kMaxDiscard) return false;
    }
}

}  // namespace mh
