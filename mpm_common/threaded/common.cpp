// The library's state: the services table and the MPM it serves.
#include <time.h>

#include <cstdarg>
#include <cstdio>

#include "threaded/threaded.h"

namespace threaded {
namespace {
const Profile *g_profile = nullptr;
}  // namespace

const mh_api *api = nullptr;

void init(const mh_api *a, const Profile *p)
{
    api = a;
    g_profile = p;
}

const Profile &profile() { return *g_profile; }

void log_error(int level, int os_errno, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    api->log_error(g_profile->module, level, os_errno, master().server, nullptr, "%s", msg);
}

int64_t monotonic_ms()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace threaded
