// One client connection served by a blocking worker (a prefork child or a
// worker thread): the socket I/O around the HTTP engine. It reads into the
// parser, runs each request through the pipeline and writes what the
// response layer buffered, with the timeouts of the configuration.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "http/request_parser.h"
#include "modhttpd/mpm.h"
#include "request/request.h"

namespace mh {

class Connection {
public:
    Connection(const mh_conn_info &info, mh_server &server);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // Serves requests until the connection ends, then closes the socket.
    void serve();

    // ---- for the request layer ----
    http::RequestParser &parser() { return parser_; }
    // Queues bytes for the client; large amounts go out at once.
    bool send(std::string_view bytes);
    bool send_pair(std::string_view head, std::string_view body);
    // Sends a file range with sendfile(2), after whatever is queued.
    bool send_file(int fd, int64_t offset, int64_t length);
    // Writes out everything queued. `more` says a file follows (MSG_MORE).
    bool flush(bool more = false);
    // Reads body bytes for the current request (see mh_api.read_body).
    long read_body(mh_request &r, char *buf, size_t n);
    // Throws away the rest of the current request's body; false if the
    // connection cannot be reused (too much left, or an error).
    bool discard_body(mh_request &r);

    bool aborted() const { return aborted_; }
    const char *client_ip() const { return client_ip_; }
    int client_port() const { return client_port_; }
    const char *client_text() const { return client_text_; }  // "ip:port"
    // The local address is looked up on first use: most requests never ask.
    const char *local_ip() const;
    int local_port() const;
    mh_slot *slot() const { return slot_; }
    // An atomic load: under a threaded MPM another thread sets the flag.
    bool stopping() const { return stopping_ && __atomic_load_n(stopping_, __ATOMIC_RELAXED); }
    unsigned requests_served() const { return requests_; }

private:
    enum class Wait { Ok, Timeout, Closed, Stop };
    Wait fill_input(int64_t deadline_ms, bool idle, size_t *received);
    Wait wait_fd(short events, int64_t deadline_ms, bool idle);
    bool write_all(const iovec *iov, int count, int flags);
    void handle_request();
    void answer_parse_error();
    bool client_may_still_send() const;
    void lingering_close();

    int fd_;
    mh_server &server_;
    mh_slot *slot_;
    const volatile int *stopping_;
    http::RequestParser parser_;
    mh_request request_;
    std::string out_;
    std::string_view body_rest_;  // body bytes handed out by the parser, not yet read
    bool aborted_ = false;
    bool expect_data_ = true;    // right after accept, data is usually there
    unsigned requests_ = 0;
    char client_ip_[64] = "";
    char client_text_[72] = "";
    int client_port_ = 0;
    mutable char local_ip_[64] = "";
    mutable int local_port_ = -1;
};

// Milliseconds on a monotonic clock, for deadlines.
int64_t monotonic_ms();

}  // namespace mh
