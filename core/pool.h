// mh_pool: an arena. Allocation is a pointer bump; everything is freed at
// once when the pool is cleared or destroyed, after its cleanups ran (last
// registered first). A pool belongs to one thread at a time.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

struct mh_pool {
public:
    explicit mh_pool(size_t first_block = 8192);
    ~mh_pool();
    mh_pool(const mh_pool &) = delete;
    mh_pool &operator=(const mh_pool &) = delete;

    void *alloc(size_t n);  // 16-byte aligned; never returns NULL
    void *calloc(size_t n);
    char *strdup(std::string_view s);  // NUL-terminated copy
    char *strdup(const char *s) { return s ? strdup(std::string_view(s)) : nullptr; }
    template <typename T, typename... Args>
    T *make(Args &&...args);  // constructs a T whose destructor runs at clear()
    void cleanup(void (*fn)(void *), void *data);
    // Runs the cleanups and frees everything but the first block, for reuse.
    void clear();
    // As clear(), and frees the first block too: an idle owner (a kept-alive
    // connection on an event loop) holds no memory. The next allocation
    // makes a new first block.
    void release();

private:
    struct Block {
        char *base;
        size_t size;
    };
    void *grow(size_t n);

    size_t first_size_;
    std::vector<Block> blocks_;  // empty until the first allocation after release()
    char *next_ = nullptr;
    char *end_ = nullptr;
    struct Cleanup {
        void (*fn)(void *);
        void *data;
    };
    std::vector<Cleanup> cleanups_;
};

template <typename T, typename... Args>
T *mh_pool::make(Args &&...args)
{
    T *obj = new (alloc(sizeof(T))) T(static_cast<Args &&>(args)...);
    cleanup([](void *p) { static_cast<T *>(p)->~T(); }, obj);
    return obj;
}
