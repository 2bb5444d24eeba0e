#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "pool.h"

TEST_CASE("allocations are aligned, distinct and survive growth")
{
    mh_pool p(64);
    std::vector<char *> blocks;
    for (int i = 0; i < 1000; ++i) {
        char *b = static_cast<char *>(p.alloc(static_cast<size_t>(i % 97) + 1));
        CHECK(reinterpret_cast<uintptr_t>(b) % 16 == 0);
        memset(b, i & 0xff, static_cast<size_t>(i % 97) + 1);
        blocks.push_back(b);
    }
    for (int i = 0; i < 1000; ++i) CHECK(static_cast<unsigned char>(blocks[size_t(i)][0]) == (i & 0xff));
    char *big = static_cast<char *>(p.alloc(1 << 20));
    big[(1 << 20) - 1] = 1;
}

TEST_CASE("strdup and calloc")
{
    mh_pool p;
    CHECK(std::string(p.strdup("abc")) == "abc");
    CHECK(std::string(p.strdup(std::string_view("abcdef", 3))) == "abc");
    CHECK(p.strdup(static_cast<const char *>(nullptr)) == nullptr);
    auto *z = static_cast<unsigned char *>(p.calloc(100));
    for (int i = 0; i < 100; ++i) CHECK(z[i] == 0);
}

TEST_CASE("cleanups run last-first on clear, including ones added by cleanups")
{
    mh_pool p;
    std::vector<int> order;
    struct Ctx {
        std::vector<int> *order;
        mh_pool *pool;
    } ctx{&order, &p};
    p.cleanup([](void *d) { static_cast<std::vector<int> *>(d)->push_back(1); }, &order);
    p.cleanup([](void *d) {
        auto *c = static_cast<Ctx *>(d);
        c->order->push_back(2);
        c->pool->cleanup([](void *o) { static_cast<std::vector<int> *>(o)->push_back(3); }, c->order);
    }, &ctx);
    p.clear();
    CHECK(order == std::vector<int>{2, 3, 1});
    p.clear();
    CHECK(order.size() == 3);
}

TEST_CASE("make runs destructors at clear")
{
    static int destroyed = 0;
    struct T {
        ~T() { ++destroyed; }
    };
    {
        mh_pool p;
        p.make<T>();
        p.make<T>();
        p.clear();
        CHECK(destroyed == 2);
        p.make<T>();
    }
    CHECK(destroyed == 3);
}

TEST_CASE("release frees every block and runs the cleanups; the pool serves again afterwards")
{
    mh_pool p(64);
    int cleaned = 0;
    p.cleanup([](void *d) { ++*static_cast<int *>(d); }, &cleaned);
    for (int i = 0; i < 10; ++i) memset(p.alloc(100), 'x', 100);  // several blocks
    p.release();
    CHECK(cleaned == 1);
    p.release();  // twice: nothing left to free
    char *s = p.strdup("after release");
    CHECK(std::string(s) == "after release");
    void *big = p.alloc(1000);  // larger than the first block
    memset(big, 0, 1000);
    CHECK(reinterpret_cast<uintptr_t>(big) % 16 == 0);
    p.clear();
    CHECK(std::string(p.strdup("and after clear")) == "and after clear");
}
