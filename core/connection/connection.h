// One client connection: the state machine around the HTTP engine. It reads
// through its Transport into the parser, runs each request through the
// pipeline, queues what the response layer produces and sends it, with the
// timeouts of the configuration.
//
// It is driven in one of two ways, with the same code:
//   serve()  blocking, on one thread to the end (prefork, worker, -X): it
//            waits with poll() wherever advance() says it waits;
//   step()   never blocking (an event MPM): it does what it can and says
//            what it waits for: readable, writable, or a worker thread for
//            the part of a request that may block (run_blocking_part()).
// One thread at a time owns a connection; the MPM hands it over.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "connection/module_transport.h"
#include "connection/output_queue.h"
#include "connection/transport.h"
#include "http/request_parser.h"
#include "modhttpd/mpm.h"
#include "request/request.h"
#include "server_config.h"

namespace mh {

class Connection {
public:
    enum class Want : uint8_t { Read, Write, Worker, Done };
    enum class Phase : uint8_t { Reading, Busy, Writing, KeepAlive, Closing };

    // `initial`: bytes already read from the socket (handed over by an MPM's
    // front end), parsed before anything is read. `head_started_ms`: when
    // the first head began to arrive, if a front end waited for it (0: now).
    Connection(const mh_conn_info &info, mh_server &server, std::string_view initial = {},
               int64_t head_started_ms = 0);
    // When a head that began at `started_ms`, with `received` bytes so far
    // (the last at `last_ms`), is late: the header timeout and Timeout.
    static int64_t head_deadline(const mh_server &s, int64_t started_ms, int64_t last_ms, size_t received);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // Serves requests until the connection ends, blocking; closes the socket.
    void serve();
    // Never blocks. After Read or Write: call again when the socket is ready
    // or deadline_ms() has come; after Worker: run run_blocking_part() on a
    // worker thread, then step() again; after Done: destroy it.
    Want step();
    int64_t deadline_ms() const { return deadline_; }
    // [worker] The rest of the current request, where it may block.
    void run_blocking_part();
    Phase phase() const;
    int fd() const { return fd_; }
    // The scoreboard row that accounts for what it serves from now on; a
    // request in progress moves there with it.
    void set_slot(mh_slot *slot);

    // ---- for the request layer ----
    http::RequestParser &parser() { return parser_; }
    // Queues bytes for the client; large amounts go out at once (blocking)
    // or as far as the socket takes them (on an event loop).
    bool send(std::string_view bytes);
    bool send_pair(std::string_view head, std::string_view body);
    // Sends a file range after whatever is queued (the caller keeps fd open
    // until the call returns; what must wait is duplicated).
    bool send_file(int fd, int64_t offset, int64_t length);
    // Writes out everything queued (blocking mode; on a loop: what it can).
    bool flush();
    // Reads body bytes for the current request (see mh_api.read_body).
    long read_body(mh_request &r, char *buf, size_t n);
    // Reads and drops the rest of the body (blocking); false if the
    // connection cannot be reused (too much left, or an error).
    bool discard_body(mh_request &r);
    // True when the whole body of the current request is in the parser's
    // buffer: a handler on the event loop can read it without waiting.
    bool body_buffered() const;
    bool blocking() const { return blocking_; }

    bool aborted() const { return aborted_; }
    const char *client_ip() const { return client_ip_; }
    int client_port() const { return client_port_; }
    const char *client_text() const { return client_text_; }  // "ip:port"
    // The local address is looked up on first use: most requests never ask.
    const char *local_ip() const;
    int local_port() const;
    mh_slot *slot() const { return slot_; }
    // A variable of the connection's transport ("HTTPS", "SSL_CIPHER"...), or
    // nullptr (a plain socket has none).
    const char *transport_var(const char *name) const { return transport_->var(name); }
    // Its transport says HTTPS=on (TLS): URLs are https, port 443 by default.
    bool secure() const { return secure_; }
    // An atomic load: under a threaded MPM another thread sets the flag.
    bool stopping() const { return stopping_ && __atomic_load_n(stopping_, __ATOMIC_RELAXED); }
    unsigned requests_served() const { return requests_; }

private:
    enum class State : uint8_t { Head, Request, Preread, NeedWorker, Flush, Discard, Linger, Closed };
    // A deadline that starts at `seconds` and grows by MinRate as bytes
    // arrive, up to max_seconds (mod_reqtimeout's rule).
    struct Deadline {
        int64_t at_ms = 0, cap_ms = 0;
        int min_rate = 0;
        void start(const ReadTimeout &t, int64_t now);
        void received(size_t bytes);
    };
    enum class Read { Got, Again, Eof, Failed };

    // Each on_* does its state's part: a Want to wait for, or nullopt to go on.
    using Next = std::optional<Want>;
    Want advance();
    Next on_head();
    Next on_request();
    Next on_preread();
    Next on_flush();
    Next on_discard();
    Next on_linger();
    Read read_some(Deadline *rate);
    void start_request();
    void end_request();
    void answer_parse_error();
    void answer_timeout();
    void close_or_linger(bool linger);
    bool client_may_still_send() const;
    bool wait(Want w, int64_t deadline, bool idle);  // blocking mode: poll
    // What the socket must become for the transport to go on: a module's
    // transport says after EAGAIN (a TLS read may need to write first).
    Want socket_want(Want w) const;
    bool flush_blocking();
    void set_state(int state);
    Want wait_for_head(bool idle);

    int fd_;
    mh_server &server_;  // the main server; Timeout and KeepAliveTimeout are the request's vhost's
    mh_slot *slot_;
    const volatile int *stopping_;
    SocketTransport socket_;
    std::unique_ptr<ModuleTransport> module_transport_;  // a module's (TLS), when one wrapped it
    Transport *transport_;
    bool secure_ = false;
    http::RequestParser parser_;
    mh_request request_;
    OutputQueue out_;
    std::string_view body_rest_;  // body bytes handed out by the parser, not yet read
    State state_ = State::Head;
    State after_flush_ = State::Head;  // where Flush goes once the queue is empty
    bool blocking_ = true;             // the thread now running it may block
    bool aborted_ = false;
    bool eof_ = false;
    bool expect_data_ = true;    // right after accept, data is usually there
    bool handed_over_ = false;   // a front end waited for its head: read before judging the deadline
    unsigned requests_ = 0;
    int64_t deadline_ = 0;
    int64_t last_read_ms_ = 0;  // Timeout counts from the last bytes received
    bool body_clock_started_ = false;  // the loop read the body first: its deadlines go on
    int64_t linger_until_ = 0;
    Deadline head_deadline_, body_deadline_;
    char client_ip_[64] = "";
    char client_text_[72] = "";
    int client_port_ = 0;
    mutable char local_ip_[64] = "";
    mutable int local_port_ = -1;
};

// Milliseconds on a monotonic clock, for deadlines.
int64_t monotonic_ms();

}  // namespace mh
