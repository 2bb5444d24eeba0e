// The module descriptor and the MPM entry: the only exported symbol.
#include <time.h>

#include <cstdarg>
#include <cstdio>

#include "worker.h"

namespace worker {

const mh_api *api = nullptr;

void log_error(int level, int os_errno, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    api->log_error(&mpm_worker_module, level, os_errno, master().server, nullptr, "%s", msg);
}

int64_t monotonic_ms()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

namespace {

void register_hooks(const mh_api *a, const mh_module *) { api = a; }

const mh_mpm kMpm = {
    sizeof(mh_mpm),
    "worker",
    1,  // threaded: the core refuses modules flagged MH_MODULE_NOT_THREAD_SAFE
    check_config,
    start,
    stop,
    nullptr,  // -X: the core serves in one process itself
};

}  // namespace
}  // namespace worker

MH_DECLARE_MODULE(mpm_worker_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    worker::commands,
    nullptr,
    nullptr,
    worker::create_server_config,
    worker::register_hooks,
    &worker::kMpm,
};
