/*
 * Built by test_kit.py with modhttpd-module against the installed headers,
 * but its descriptor claims the next ABI major, as a module built for a
 * future incompatible server would: the server must refuse it at
 * LoadModule, naming both versions.
 */
#include <modhttpd/modhttpd.h>

MH_DECLARE_MODULE(forged_module) = {
    MH_MODULE_MAGIC, MH_ABI_MAJOR + 1, MH_ABI_MINOR, (uint32_t)sizeof(mh_module), __FILE__,
    MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, NULL, NULL
};
