// What every threaded child does first.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "threaded/threaded.h"

namespace threaded {

sigset_t control_signals()
{
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGUSR1}) sigaddset(&set, sig);
    return set;
}

void enter_child()
{
    svc()->child_after_fork();
    sigset_t control = control_signals();
    pthread_sigmask(SIG_BLOCK, &control, nullptr);  // before any thread: they inherit it
    if (svc()->drop_privileges() != 0) _exit(kExitFatal);
    // A master killed outright must not leave us serving as orphans. After
    // the privileges are dropped: changing credentials clears this setting.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != master().pid) _exit(0);
    svc()->run_child_init();
}

}  // namespace threaded
