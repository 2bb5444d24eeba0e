// Counts operator new calls on the current thread, to prove hot paths do
// not allocate. alloc_counter.cpp replaces the global operator new.
#pragma once

#include <cstddef>

namespace mh::test {

std::size_t allocations();  // on this thread, since it started

}  // namespace mh::test
