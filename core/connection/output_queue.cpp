#include "connection/output_queue.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/spares.h"

namespace mh {
namespace {

constexpr int kMaxIov = 64;
constexpr size_t kReadChunk = 65536;  // a file through a transport without sendfile

}  // namespace

void OutputQueue::append(std::string_view bytes)
{
    if (bytes.empty()) return;
    reuse_spare(segments_);
    reuse_spare(buffer_);
    if (!segments_.empty() && !segments_.back().file && segments_.back().end == buffer_.size()) {
        segments_.back().end += bytes.size();
    } else {
        Segment s;
        s.begin = buffer_.size();
        s.end = s.begin + bytes.size();
        segments_.push_back(s);
    }
    buffer_.append(bytes);
    pending_ += bytes.size();
}

void OutputQueue::append_file(int fd, int64_t offset, int64_t length, bool owned)
{
    if (length <= 0) {
        if (owned) close(fd);
        return;
    }
    reuse_spare(segments_);
    Segment s;
    s.file = true;
    s.owned = owned;
    s.fd = fd;
    s.offset = offset;
    s.length = length;
    segments_.push_back(s);
    pending_ += static_cast<uint64_t>(length);
}

bool OutputQueue::own_files()
{
    for (size_t i = head_; i < segments_.size(); ++i) {
        Segment &s = segments_[i];
        if (!s.file || s.owned) continue;
        int fd = fcntl(s.fd, F_DUPFD_CLOEXEC, 0);
        if (fd < 0) return false;
        s.fd = fd;
        s.owned = true;
    }
    return true;
}

void OutputQueue::pop_front(size_t n)
{
    head_ += n;
    if (head_ < segments_.size()) return;
    buffer_.clear();  // keeps the capacity for the next response
    segments_.clear();
    head_ = 0;
}

OutputQueue::Flush OutputQueue::send_memory(Transport &t, size_t first, size_t last, uint64_t &sent)
{
    iovec iov[kMaxIov];
    int count = 0;
    for (size_t i = first; i < last && count < kMaxIov; ++i, ++count)
        iov[count] = {buffer_.data() + segments_[i].begin, segments_[i].end - segments_[i].begin};
    bool more = last < segments_.size() || size_t(count) < last - first;  // a file or more bytes follow
    ssize_t n = t.writev(iov, count, more);
    if (n < 0) return errno == EAGAIN ? Flush::Again : Flush::Error;
    sent += static_cast<uint64_t>(n);
    pending_ -= static_cast<uint64_t>(n);
    size_t left = static_cast<size_t>(n), done = 0;
    for (size_t i = first; i < last && left > 0; ++i) {
        size_t len = segments_[i].end - segments_[i].begin;
        if (left < len) {
            segments_[i].begin += left;
            break;
        }
        left -= len;
        ++done;
    }
    pop_front(done);
    return Flush::Done;
}

OutputQueue::Flush OutputQueue::send_file(Transport &t, Segment &s, uint64_t &sent)
{
    off_t off = s.offset;
    size_t want = static_cast<size_t>(std::min<int64_t>(s.length, 1 << 30));
    ssize_t n = t.sendfile(s.fd, &off, want);
    if (n < 0 && errno == ENOSYS) {
        // No sendfile through this transport: read a piece and write it.
        thread_local std::string chunk;
        chunk.resize(std::min(want, kReadChunk));
        ssize_t got = pread(s.fd, chunk.data(), chunk.size(), s.offset);
        if (got <= 0) return Flush::Error;  // the file shrank under us
        iovec iov{chunk.data(), static_cast<size_t>(got)};
        n = t.writev(&iov, 1, true);
        if (n > 0) off = s.offset + n;
    }
    if (n < 0) return errno == EAGAIN ? Flush::Again : Flush::Error;
    if (n == 0) return Flush::Error;  // the file shrank: the response cannot be completed
    sent += static_cast<uint64_t>(n);
    pending_ -= static_cast<uint64_t>(n);
    s.offset = off;
    s.length -= n;
    if (s.length == 0) {
        if (s.owned) close(s.fd);
        s.fd = -1;
        pop_front(1);
    }
    return Flush::Done;
}

OutputQueue::Flush OutputQueue::flush(Transport &t, uint64_t &sent)
{
    while (head_ < segments_.size()) {
        Flush f;
        if (segments_[head_].file) {
            f = send_file(t, segments_[head_], sent);
        } else {
            size_t last = head_;
            while (last < segments_.size() && !segments_[last].file) ++last;
            f = send_memory(t, head_, last, sent);
        }
        if (f != Flush::Done) return f;
    }
    return Flush::Done;
}

OutputQueue::Flush OutputQueue::write_with(Transport &t, std::string_view extra, size_t &took, uint64_t &sent)
{
    took = 0;
    bool files = false;
    for (size_t i = head_; i < segments_.size(); ++i) files |= segments_[i].file;
    if (files) {  // files first, on their own; then the bytes
        Flush f = flush(t, sent);
        if (f != Flush::Done) return f;
    }
    iovec iov[kMaxIov];
    int count = 0;
    for (size_t i = head_; i < segments_.size() && count < kMaxIov - 1; ++i, ++count)
        iov[count] = {buffer_.data() + segments_[i].begin, segments_[i].end - segments_[i].begin};
    int queued = count;
    iov[count++] = {const_cast<char *>(extra.data()), extra.size()};
    ssize_t n = t.writev(iov, count, false);
    if (n < 0) return errno == EAGAIN ? Flush::Again : Flush::Error;
    sent += static_cast<uint64_t>(n);
    size_t left = static_cast<size_t>(n), done = 0;
    for (int i = 0; i < queued && left > 0; ++i) {
        Segment &s = segments_[head_ + size_t(i)];
        size_t len = s.end - s.begin;
        size_t part = std::min(left, len);
        pending_ -= part;
        left -= part;
        if (part < len) {
            s.begin += part;
            break;
        }
        ++done;
    }
    pop_front(done);
    took = left;  // what went past the queued bytes came from `extra`
    return Flush::Done;
}

void OutputQueue::clear()
{
    for (size_t i = head_; i < segments_.size(); ++i)
        if (segments_[i].file && segments_[i].owned) close(segments_[i].fd);
    buffer_.clear();
    segments_.clear();
    head_ = 0;
    pending_ = 0;
}

void OutputQueue::release()
{
    if (!empty()) return;
    give_spare(buffer_);
    give_spare(segments_);
    head_ = 0;
}

}  // namespace mh
