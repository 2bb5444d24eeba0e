#include "master/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace mh {

void daemonize(int error_log)
{
    // What was printed so far ("not running, trying to start") leaves once,
    // now, and not with one of the two processes or never.
    fflush(stdout);
    fflush(stderr);
    // Until the child has a session of its own, the hangup of the terminal
    // that started us (script, ssh host 'modhttpd -k start') reaches it and
    // would end it. Ignored from here on: the master's loop installs its own
    // SIGHUP (restart) watcher, which takes over from SIG_IGN.
    signal(SIGHUP, SIG_IGN);
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) ready[0] = ready[1] = -1;
    pid_t pid = fork();
    if (pid < 0) {  // stay in the foreground rather than not start
        if (ready[0] >= 0) close(ready[0]), close(ready[1]);
        return;
    }
    if (pid > 0) {
        // The command returns only once the server has left the terminal's
        // session: when it has returned, closing the terminal cannot touch it.
        if (ready[1] >= 0) {
            close(ready[1]);
            char byte;
            while (read(ready[0], &byte, 1) < 0 && errno == EINTR) {
            }
        }
        _exit(0);
    }
    setsid();
    if (ready[1] >= 0) {
        close(ready[0]);
        ssize_t n = write(ready[1], "", 1);
        (void)n;  // a parent that is gone needs no news
        close(ready[1]);
    }
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        if (null > STDERR_FILENO) close(null);
    }
    if (error_log >= 0) dup2(error_log, STDERR_FILENO);
}

}  // namespace mh
