/* A module that claims ABI major 2: the server must refuse it by name. */
#include <modhttpd/modhttpd.h>

MH_DECLARE_MODULE(forged_major_module) = {
    MH_MODULE_MAGIC, MH_ABI_MAJOR + 1, 0, (uint32_t)sizeof(mh_module), __FILE__,
    MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, NULL, NULL
};
