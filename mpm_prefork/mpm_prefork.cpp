// mod_mpm_prefork: the module descriptor and the MPM entry points.
//
//   LoadModule mpm_prefork_module modules/mod_mpm_prefork.so
#include <cstdarg>
#include <cstdio>

#include "prefork.h"

namespace prefork {

const mh_api *api = nullptr;

void log_error(int level, int os_errno, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    api->log_error(&mpm_prefork_module, level, os_errno, nullptr, nullptr, "%s", msg);
}

namespace {

void register_hooks(const mh_api *a, const mh_module *) { api = a; }

// -X is left to the core (run_single_process NULL): it serves in one process.
const mh_mpm mpm = {
    sizeof(mh_mpm),
    "prefork",
    0,  // not threaded: modules marked not thread-safe may load
    check_config,
    start,
    stop,
    nullptr,
    0,  // not async: a connection holds its child throughout
};

}  // namespace
}  // namespace prefork

MH_DECLARE_MODULE(mpm_prefork_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    prefork::commands,
    nullptr,
    nullptr,
    prefork::create_server_config,
    prefork::register_hooks,
    &prefork::mpm,
};
