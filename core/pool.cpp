#include "pool.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "util/spares.h"

namespace {
constexpr size_t kAlign = 16;
size_t align_up(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

// First blocks that released request pools gave back (an idle keep-alive
// connection's: request.h sizes them), for the next pool on this thread.
constexpr size_t kSpareSize = 16384;
struct FreeBlock {
    void operator()(char *p) const { free(p); }
};
using BlockPtr = std::unique_ptr<char, FreeBlock>;

char *new_block(size_t size)
{
    if (BlockPtr spare; size == kSpareSize && mh::SpareList<BlockPtr>::take(spare)) return spare.release();
    void *p = nullptr;
    if (posix_memalign(&p, kAlign, size) != 0) throw std::bad_alloc();
    return static_cast<char *>(p);
}
}  // namespace

mh_pool::mh_pool(size_t first_block) : first_size_(align_up(first_block))
{
    blocks_.push_back({new_block(first_size_), first_size_});
    next_ = blocks_.front().base;
    end_ = next_ + first_size_;
}

mh_pool::~mh_pool() { release(); }

void *mh_pool::alloc(size_t n)
{
    n = align_up(n ? n : 1);
    if (static_cast<size_t>(end_ - next_) < n) return grow(n);
    void *p = next_;
    next_ += n;
    return p;
}

void *mh_pool::grow(size_t n)
{
    size_t size = blocks_.empty() ? first_size_ : blocks_.back().size * 2;
    if (size < n + kAlign) size = align_up(n + kAlign);
    char *base = new_block(size);
    blocks_.push_back({base, size});
    next_ = base + n;
    end_ = base + size;
    return base;
}

void *mh_pool::calloc(size_t n)
{
    void *p = alloc(n);
    memset(p, 0, n);
    return p;
}

char *mh_pool::strdup(std::string_view s)
{
    char *p = static_cast<char *>(alloc(s.size() + 1));
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

void mh_pool::cleanup(void (*fn)(void *), void *data) { cleanups_.push_back({fn, data}); }

void mh_pool::clear()
{
    // A cleanup may register another one: keep going until none is left.
    while (!cleanups_.empty()) {
        Cleanup c = cleanups_.back();
        cleanups_.pop_back();
        c.fn(c.data);
    }
    if (blocks_.empty()) return;
    for (size_t i = 1; i < blocks_.size(); ++i) free(blocks_[i].base);
    blocks_.resize(1);
    next_ = blocks_.front().base;
    end_ = next_ + blocks_.front().size;
}

void mh_pool::release()
{
    clear();
    if (!blocks_.empty()) {
        BlockPtr first(blocks_.front().base);
        if (blocks_.front().size == kSpareSize) mh::SpareList<BlockPtr>::give(std::move(first));
    }
    blocks_.clear();
    next_ = end_ = nullptr;
}
