/*
 * The forked child's last steps: only async-signal-safe calls, because the
 * process that forked may have had other threads (their locks stay taken
 * in the copy).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgi.h"

static void write_str(int fd, const char *s)
{
    ssize_t unused = write(fd, s, strlen(s));
    (void)unused;
}

/* "(13)Permission denied" without strerror, which may take locks. */
static void write_errno(int fd, int err)
{
    char num[16];
    int i = (int)sizeof num;
    num[--i] = '\0';
    unsigned v = (unsigned)err;
    do num[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
    write_str(fd, "(");
    write_str(fd, num + i);
    write_str(fd, ")");
    switch (err) {
    case ENOENT: write_str(fd, "No such file or directory"); break;
    case EACCES: write_str(fd, "Permission denied"); break;
    case ENOEXEC: write_str(fd, "Exec format error"); break;
    case ENOTDIR: write_str(fd, "Not a directory"); break;
    case ENOMEM: write_str(fd, "Cannot allocate memory"); break;
    default: write_str(fd, "error"); break;
    }
}

static void close_from(int first)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, ~0u, 0u) == 0) return;
#endif
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
    for (int fd = first; fd < max; fd++) close(fd);
}

pid_t cgi_fork(void)
{
    return (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
}

void cgi_exec_child(const cgi_exec *e, int in, int out, int err)
{
    setpgid(0, 0);
    /* Out of 0..2 first, so that the dup2s below cannot overwrite one. */
    int fds[3] = {in, out, err};
    for (int i = 0; i < 3; i++)
        if (fds[i] < 3) fds[i] = fcntl(fds[i], F_DUPFD, 3);
    for (int i = 0; i < 3; i++)
        if (fds[i] < 0 || dup2(fds[i], i) < 0) _exit(127);
    close_from(3);

    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL); /* SIGKILL, SIGSTOP: refused, fine */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    if (chdir(e->dir) != 0) {
        int saved = errno;
        write_errno(2, saved);
        write_str(2, ": AH01243: cannot change to the directory of the script ");
        write_str(2, e->dir);
        write_str(2, "\n");
        _exit(127);
    }
    execve(e->path, e->argv, e->envp);
    /* Apache's AH01241, written where the worker reads the script's stderr. */
    int saved = errno;
    write_errno(2, saved);
    write_str(2, ": AH01241: exec of '");
    write_str(2, e->path);
    write_str(2, "' failed\n");
    _exit(127);
}
