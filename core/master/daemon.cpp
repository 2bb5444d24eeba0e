#include "master/daemon.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace mh {

void daemonize(int error_log)
{
    pid_t pid = fork();
    if (pid < 0) return;  // stay in the foreground rather than not start
    if (pid > 0) _exit(0);
    setsid();
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        if (null > STDERR_FILENO) close(null);
    }
    if (error_log >= 0) dup2(error_log, STDERR_FILENO);
}

}  // namespace mh
