// What every part of mod_status shares: the server's services table and the
// module descriptor (both set once, in register_hooks, before any request).
#pragma once

#include <modhttpd/modhttpd.h>

extern "C" MH_EXPORT const mh_module status_module;

namespace mh_status {

// The services table handed to register_hooks.
const mh_api &api();

}  // namespace mh_status
