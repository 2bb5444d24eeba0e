#include "master/systemd_notify.h"

#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

namespace mh::systemd_notify {
namespace {

// NOTIFY_SOCKET stays in the environment (unset_environment = 0): the
// master notifies again on every reload and stop. Its children inherit it,
// but systemd takes only the main process's messages (NotifyAccess=main).
void notify(const char *state)
{
    sd_notify(0, state);
}

}  // namespace

void ready(int generation, const char *mpm, const char *what)
{
    char state[256];
    snprintf(state, sizeof state, "READY=1\nMAINPID=%ld\nSTATUS=%s: generation %d, mpm_%s",
             static_cast<long>(getpid()), what, generation, mpm);
    notify(state);
}

void reloading(bool graceful)
{
    // MONOTONIC_USEC: systemd 253 and later match it to the reload they
    // asked for (Type=notify-reload); older ones ignore it.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    char state[160];
    snprintf(state, sizeof state, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=%s restart: reading the configuration",
             static_cast<unsigned long long>(now.tv_sec) * 1000000ULL + static_cast<unsigned long long>(now.tv_nsec / 1000),
             graceful ? "Graceful" : "Hard");
    notify(state);
}

void stopping(bool graceful)
{
    notify(graceful ? "STOPPING=1\nSTATUS=Stopping gracefully: children finish their requests"
                  : "STOPPING=1\nSTATUS=Stopping");
}

}  // namespace mh::systemd_notify
