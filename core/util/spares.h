// Buffers that idle connections give back, kept for the next connection on
// the same thread. An event loop's keep-alive connection goes idle between
// any two requests and gives its buffers back then (so that thousands of
// idle connections hold none); freeing and allocating them again on every
// request was a tenth of a small request's instructions. A thread keeps a
// few spares of each kind, no more.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace mh {

// Up to kKept spare T per thread; Tag tells apart two lists of one type.
template <typename T, typename Tag = void>
class SpareList {
public:
    static constexpr size_t kKept = 32;

    // Moves a spare into `out`; false if there is none.
    static bool take(T &out)
    {
        List &l = list();
        if (l.closed || l.items.empty()) return false;
        out = std::move(l.items.back());
        l.items.pop_back();
        return true;
    }
    // Keeps `t` (moved from); false if the list is full: `t` stays the caller's.
    static bool give(T &&t)
    {
        List &l = list();
        if (l.closed || l.items.size() >= kKept) return false;
        l.items.push_back(std::move(t));
        return true;
    }

private:
    struct List {
        std::vector<T> items;
        bool closed = false;  // the thread is ending: a give() after this frees
        ~List()
        {
            items.clear();
            closed = true;
        }
    };
    static List &list()
    {
        thread_local List l;
        return l;
    }
};

// For a std::string or std::vector that holds no memory (a string's own
// inline buffer aside): takes a spare's capacity, if there is one.
template <typename C>
void reuse_spare(C &c)
{
    if (c.empty() && c.capacity() <= C().capacity()) SpareList<C>::take(c);
}

// Empties `c` and keeps its capacity as a spare, or frees it (full list,
// or more than 64 KiB: a rare large response does not stay held).
template <typename C>
void give_spare(C &c)
{
    c.clear();
    size_t bytes = c.capacity() * sizeof(typename C::value_type);
    if (c.capacity() > C().capacity() && bytes <= 64 * 1024) SpareList<C>::give(std::move(c));
    C().swap(c);
}

}  // namespace mh
