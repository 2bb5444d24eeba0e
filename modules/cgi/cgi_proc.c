/*
 * Starting a script and ending it. Under prefork the child forks it
 * itself, as Apache's mod_cgi; a threaded child asks its helper
 * (cgi_helper.c), as Apache's mod_cgid. Either way the script leads a
 * process group of its own, and nothing is left unreaped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgi.h"

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static pid_t fork_here(const cgi_exec *e, const int fds[3])
{
    /* No handler of ours may run in the copy before it execs. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = cgi_fork();
    if (pid == 0) cgi_exec_child(e, fds[0], fds[1], fds[2]);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid > 0) setpgid(pid, pid); /* also done by the child: whichever comes first */
    errno = saved;
    return pid;
}

int cgi_proc_start(mh_request *r, const cgi_exec *e, cgi_proc *p)
{
    memset(p, 0, sizeof *p);
    p->in = p->out = p->err = p->helper = -1;
    p->status = -1;
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    int ok = pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0;
    if (ok) {
        int theirs[3] = {in[0], out[1], err[1]};
        if (cgi_helper_active()) ok = cgi_helper_spawn(e, theirs, &p->pid, &p->helper) == 0;
        else ok = (p->pid = fork_here(e, theirs)) > 0;
    }
    int saved = errno;
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&err[1]);
    if (!ok) {
        close_fd(&in[1]);
        close_fd(&out[0]);
        close_fd(&err[0]);
        cgi_api->log_error(&cgi_module, MH_LOG_ERR, saved, NULL, r, "AH01223: couldn't spawn child process: %s",
                           e->path);
        return 500;
    }
    p->in = in[1];
    p->out = out[0];
    p->err = err[0];
    for (int i = 0; i < 3; i++) {
        int fd = i == 0 ? p->in : i == 1 ? p->out : p->err;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    return 0;
}

void cgi_proc_kill(cgi_proc *p, int sig)
{
    if (p->exited) return;
    if (sig == SIGKILL || sig == SIGTERM) p->killed = 1;
    if (p->helper >= 0) {
        unsigned char b = (unsigned char)sig;
        ssize_t unused = write(p->helper, &b, 1);
        (void)unused;
    } else {
        kill(-p->pid, sig);
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 once reaped (p->status), 0 when still running after timeout_ms (-1: no limit). */
static int wait_exit(cgi_proc *p, int timeout_ms)
{
    if (p->exited) return 1;
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : now_ms() + timeout_ms;
    if (p->helper >= 0) {
        for (;;) {
            int wait_ms = -1;
            if (deadline != INT64_MAX) {
                int64_t left = deadline - now_ms();
                wait_ms = left < 0 ? 0 : (int)left;
            }
            struct pollfd pfd = {p->helper, POLLIN, 0};
            int rv = poll(&pfd, 1, wait_ms);
            if (rv < 0 && errno == EINTR) continue;
            if (rv == 0) return 0;
            int32_t st;
            ssize_t n = rv < 0 ? -1 : read(p->helper, &st, sizeof st);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            p->status = n == (ssize_t)sizeof st ? st : -1; /* end-of-file: the helper is gone */
            p->exited = 1;
            return 1;
        }
    }
    long pause_us = 200;
    for (;;) {
        int status;
        pid_t got = waitpid(p->pid, &status, WNOHANG);
        if (got == p->pid || (got < 0 && errno == ECHILD)) {
            p->status = got == p->pid ? status : -1;
            p->exited = 1;
            return 1;
        }
        if (now_ms() >= deadline) return 0;
        struct timespec ts = {0, pause_us * 1000};
        nanosleep(&ts, NULL);
        if (pause_us < 20000) pause_us *= 2;
    }
}

void cgi_proc_end(mh_request *r, cgi_proc *p, int now)
{
    close_fd(&p->in);
    close_fd(&p->out);
    close_fd(&p->err);
    if (now) cgi_proc_kill(p, SIGKILL);
    if (!wait_exit(p, 1000)) {
        cgi_proc_kill(p, SIGTERM);
        if (!wait_exit(p, 3000)) {
            cgi_proc_kill(p, SIGKILL);
            wait_exit(p, -1);
        }
    }
    close_fd(&p->helper);
    if (p->status != -1 && WIFSIGNALED(p->status) && !p->killed)
        cgi_api->log_error(&cgi_module, MH_LOG_ERR, 0, NULL, r, "script %s (pid %ld) exit signal %d%s",
                           cgi_api->filename(r), (long)p->pid, WTERMSIG(p->status),
                           WCOREDUMP(p->status) ? ", possible coredump" : "");
}
