#include "alloc_counter.h"

#include <cstdlib>
#include <new>

namespace {
thread_local std::size_t t_allocations = 0;
}

namespace mh::test {
std::size_t allocations() { return t_allocations; }
}  // namespace mh::test

void *operator new(std::size_t size) {
    ++t_allocations;
    if (void *p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}

void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
