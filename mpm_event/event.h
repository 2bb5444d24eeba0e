// mpm_event internals shared by its files: Apache's event MPM on libuv.
// Processes as mpm_worker's (the master side is mpm_common/threaded), but in
// each child one thread runs an event loop that owns every connection:
// accepting, reading heads, keep-alive waits, timeouts, writing responses
// out and lingering closes, through the core's non-blocking connection
// (mh_mpm_services.conn_*). Requests whose hooks may not block run on the
// loop too (mod_static, mod_status); the others are handed to one of
// ThreadsPerChild worker threads and come back to the loop when done.
//
//   mpm_event.cpp   module descriptor, MPM entry, Apache's event numbers
//   child.cpp       a child's main thread: privileges, threads, signals
//   loop.cpp        the event loop: listeners, connections, timers, stop
//   workers.cpp     the worker threads and the hand-off to and from them
#pragma once

#include <vector>

#include "threaded/threaded.h"

extern "C" MH_EXPORT const mh_module mpm_event_module;

namespace event {

using namespace threaded;

[[noreturn]] void child_main(int slot, int generation, const Settings &cfg, const std::vector<int> &listen_fds);

}  // namespace event
