/* Test module: declares itself not thread-safe (MH_MODULE_NOT_THREAD_SAFE),
 * as a module keeping per-request state in globals would. A threaded MPM
 * must refuse it and point at mpm_prefork; prefork loads it. */
#include <modhttpd/modhttpd.h>

MH_DECLARE_MODULE(unsafe_module) = {
    MH_MODULE_HEADER, MH_MODULE_NOT_THREAD_SAFE, NULL, NULL, NULL, NULL, NULL, NULL
};
