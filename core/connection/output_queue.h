// What a connection still has to send: bytes and file ranges, in order.
// Bytes live in one buffer (its capacity is kept between responses, so the
// steady state allocates nothing); a file range is sent with sendfile(2)
// where the transport can, and read into memory where it cannot. flush()
// never blocks: it sends what the socket takes and says whether it is done.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connection/transport.h"

namespace mh {

class OutputQueue {
public:
    OutputQueue() = default;
    OutputQueue(const OutputQueue &) = delete;
    OutputQueue &operator=(const OutputQueue &) = delete;
    ~OutputQueue() { clear(); }

    void append(std::string_view bytes);
    // A range of `fd`; with `owned` the queue closes fd once it is sent (or
    // dropped), else the caller keeps it open until the queue is empty.
    void append_file(int fd, int64_t offset, int64_t length, bool owned);
    // Takes over the file ranges that still point at descriptors the caller
    // will close (a handler's file, once the handler returns): dup()s them.
    // False if a dup failed (out of descriptors).
    bool own_files();

    enum class Flush { Done, Again, Error };
    // Sends as much as the transport takes now; Again: it would block.
    // `sent` adds the bytes that left.
    Flush flush(Transport &t, uint64_t &sent);

    // Sends what is queued and then `extra` (not copied), as far as the
    // transport takes them now; `took` says how much of `extra` left.
    Flush write_with(Transport &t, std::string_view extra, size_t &took, uint64_t &sent);

    bool empty() const { return segments_.empty(); }
    uint64_t pending_bytes() const { return pending_; }
    // Drops everything (the connection is being cut).
    void clear();
    // Empty: frees the buffer's capacity too (an idle connection).
    void release();

private:
    struct Segment {
        bool file = false;
        bool owned = false;
        int fd = -1;
        size_t begin = 0, end = 0;  // memory: [begin, end) of buffer_
        int64_t offset = 0, length = 0;  // file: what is left to send
    };
    Flush send_memory(Transport &t, size_t first, size_t last, uint64_t &sent);
    Flush send_file(Transport &t, Segment &s, uint64_t &sent);
    void pop_front(size_t n);

    std::string buffer_;
    std::vector<Segment> segments_;
    size_t head_ = 0;  // first segment not yet sent
    uint64_t pending_ = 0;
};

}  // namespace mh
