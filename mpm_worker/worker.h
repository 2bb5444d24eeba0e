// mpm_worker internals shared by its files: Apache's worker MPM, processes of
// ThreadsPerChild threads, each thread serving one connection at a time.
// The master side is mpm_common/threaded (shared with mpm_event); a child
// gets its settings by fork and never touches the master's loop.
//
//   mpm_worker.cpp   module descriptor and MPM entry
//   child.cpp        a child's main thread: privileges, threads, signals
//   listener.cpp     the listener thread: accepts only while a worker is idle
//   queue.cpp        the hand-off from the listener to the workers
//   workers.cpp      worker threads, and ending their connections on stop
#pragma once

#include <vector>

#include "threaded/threaded.h"

extern "C" MH_EXPORT const mh_module mpm_worker_module;

namespace worker {

using namespace threaded;

// ---- child.cpp ----
[[noreturn]] void child_main(int slot, int generation, const Settings &cfg, const std::vector<int> &listen_fds);

}  // namespace worker
