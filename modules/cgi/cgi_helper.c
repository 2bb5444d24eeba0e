/*
 * The helper of a threaded child (Apache's mod_cgid daemon, one per child).
 *
 * A worker thread must not fork: the copy would carry the whole process's
 * page tables (slow with many threads and much memory) and could inherit
 * descriptors another thread opened without close-on-exec in the meantime,
 * and only async-signal-safe calls are allowed before exec. So each child
 * forks this small single-threaded process in child_init, before any
 * thread starts, and asks it to start scripts:
 *
 *   worker -> helper, on the control socket (SOCK_SEQPACKET): one message
 *     per script carrying four descriptors: the script's stdin, stdout and
 *     stderr ends and a fresh stream socket, the channel for this script.
 *   worker -> helper, on the channel: the script (u32 length, then path,
 *     directory, argv[0] and the environment as NUL-terminated strings);
 *     later, bytes that are signal numbers to send to its process group.
 *     Closing the channel early kills the script.
 *   helper -> worker, on the channel: the pid (int32; -errno when the
 *     fork failed), then the wait status (int32) once it is reaped.
 *
 * The helper ends when the child does (its end of the control socket then
 * reads end-of-file), killing scripts still running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgi.h"

#define SPEC_MAX (16u << 20)

static int g_control = -1; /* the worker threads' end */

int cgi_helper_active(void) { return g_control >= 0; }

/* ---- both sides -------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *data, size_t n)
{
    char *p = data;
    while (n > 0) {
        ssize_t got = read(fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

/* ---- the helper -------------------------------------------------------- */

typedef struct script {
    pid_t pid;
    int channel; /* -1 once the worker is gone */
} script;

typedef struct helper {
    script *list;
    size_t n, cap;
} helper;

static void add_script(helper *h, pid_t pid, int channel)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        script *grown = realloc(h->list, cap * sizeof *grown);
        if (grown == NULL) {
            /* Cannot track it: it must not run unwatched. */
            kill(-pid, SIGKILL);
            close(channel);
            return;
        }
        h->list = grown;
        h->cap = cap;
    }
    h->list[h->n].pid = pid;
    h->list[h->n].channel = channel;
    h->n++;
}

/* Reads what to run from the channel and starts it. */
static void start_script(helper *h, const int fds[3], int channel)
{
    struct timeval tv = {10, 0}; /* the worker writes it at once; never wait on a stuck one */
    setsockopt(channel, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    uint32_t len;
    char *spec = NULL;
    int32_t answer = -EPROTO;
    if (read_all(channel, &len, sizeof len) == 0 && len > 0 && len <= SPEC_MAX && (spec = malloc(len + 1)) &&
        read_all(channel, spec, len) == 0) {
        spec[len] = '\0';
        size_t count = 0;
        for (uint32_t i = 0; i < len; i++) count += spec[i] == '\0';
        char **strings = calloc(count + 1, sizeof *strings);
        if (count >= 3 && strings) {
            char *s = spec;
            for (size_t i = 0; i < count; i++, s += strlen(s) + 1) strings[i] = s;
            char *argv[2] = {strings[2], NULL};
            cgi_exec e = {strings[0], strings[1], argv, strings + 3};
            pid_t pid = cgi_fork();
            if (pid == 0) cgi_exec_child(&e, fds[0], fds[1], fds[2]);
            if (pid > 0) setpgid(pid, pid); /* also done by the child: whichever comes first */
            answer = pid > 0 ? pid : -errno;
        }
        free(strings);
    }
    free(spec);
    for (int i = 0; i < 3; i++) close(fds[i]);
    if (write_all(channel, &answer, sizeof answer) != 0 && answer > 0) kill(-answer, SIGKILL);
    if (answer > 0) add_script(h, answer, channel);
    else close(channel);
}

/* One message from a worker; 0 at end-of-file (the child is gone). */
static int take_request(helper *h, int control)
{
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(4 * sizeof(int))];
    } cm;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cm.buf;
    msg.msg_controllen = sizeof cm.buf;
    ssize_t n = recvmsg(control, &msg, MSG_CMSG_CLOEXEC);
    if (n == 0) return 0;
    if (n < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
    int fds[4], got = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < k; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (got < 4) fds[got++] = fd;
            else close(fd);
        }
    }
    if (got == 4 && !(msg.msg_flags & MSG_CTRUNC)) start_script(h, fds, fds[3]);
    else
        for (int i = 0; i < got; i++) close(fds[i]);
    return 1;
}

static void reap(helper *h)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < h->n; i++) {
            if (h->list[i].pid != pid) continue;
            if (h->list[i].channel >= 0) {
                int32_t st = status;
                write_all(h->list[i].channel, &st, sizeof st);
                close(h->list[i].channel);
            }
            h->list[i] = h->list[--h->n];
            break;
        }
    }
}

/* The worker sent signal numbers, or went away (then the script goes too). */
static void from_worker(script *s)
{
    unsigned char sigs[16];
    ssize_t n = read(s->channel, sigs, sizeof sigs);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        kill(-s->pid, SIGKILL);
        close(s->channel);
        s->channel = -1;
        return;
    }
    for (ssize_t i = 0; i < n; i++)
        if (sigs[i] == SIGTERM || sigs[i] == SIGKILL) kill(-s->pid, sigs[i]);
}

static void helper_main(int control) __attribute__((noreturn));
static void helper_main(int control)
{
    prctl(PR_SET_NAME, "modhttpd-cgi");
    /* Keep stdin/stdout/stderr (the error log) and the control socket:
     * nothing the child had open stays open here. */
    if (control != 3) {
        dup2(control, 3);
        control = 3;
    }
    fcntl(control, F_SETFD, FD_CLOEXEC);
#ifdef SYS_close_range
    syscall(SYS_close_range, 4u, ~0u, 0u);
#endif
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    helper h = {NULL, 0, 0};
    struct pollfd *pfd = NULL;
    size_t pfd_cap = 0;
    for (;;) {
        if (pfd_cap < h.n + 2) {
            pfd_cap = (h.n + 2) * 2;
            struct pollfd *grown = realloc(pfd, pfd_cap * sizeof *pfd);
            if (grown == NULL) break;
            pfd = grown;
        }
        pfd[0] = (struct pollfd){control, POLLIN, 0};
        pfd[1] = (struct pollfd){sigfd, POLLIN, 0};
        size_t n = 2;
        size_t watched = h.n;
        for (size_t i = 0; i < watched; i++) pfd[n++] = (struct pollfd){h.list[i].channel, POLLIN, 0};
        /* Without a signalfd, look for exits now and then. */
        int rv = poll(pfd, n, sigfd < 0 ? 100 : -1);
        if (rv < 0 && errno != EINTR) break;
        if (sigfd >= 0 && (pfd[1].revents & POLLIN)) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof si) > 0) continue;
        }
        /* A worker's message before reaping, so that an exit is never
         * reported on a channel whose script the worker is yet to learn. */
        for (size_t i = 0; i < watched && i < h.n; i++)
            if (pfd[2 + i].fd == h.list[i].channel && h.list[i].channel >= 0 && pfd[2 + i].revents)
                from_worker(&h.list[i]);
        reap(&h);
        if (pfd[0].revents && !take_request(&h, control)) break;
    }
    /* The child is gone: so are its scripts. */
    for (size_t i = 0; i < h.n; i++) kill(-h.list[i].pid, SIGKILL);
    while (h.n > 0) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) break;
        for (size_t i = 0; i < h.n; i++)
            if (h.list[i].pid == pid) h.list[i] = h.list[--h.n];
    }
    _exit(0);
}

/* [child] */
int cgi_helper_start(mh_server *s)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        cgi_api->log_error(&cgi_module, MH_LOG_ERR, errno, s, NULL, "AH01242: Couldn't create the CGI helper's socket");
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        cgi_api->log_error(&cgi_module, MH_LOG_ERR, errno, s, NULL, "AH01253: Couldn't start the CGI helper process");
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        helper_main(sv[1]);
    }
    close(sv[1]);
    g_control = sv[0];
    return 0;
}

/* ---- a worker's side --------------------------------------------------- */

static char *spec_of(const cgi_exec *e, uint32_t *len)
{
    size_t n = strlen(e->path) + strlen(e->dir) + strlen(e->argv[0]) + 3;
    for (char **v = e->envp; *v; v++) n += strlen(*v) + 1;
    if (n > SPEC_MAX) return NULL;
    char *spec = malloc(sizeof(uint32_t) + n), *p = spec + sizeof(uint32_t);
    if (spec == NULL) return NULL;
    const char *fixed[3] = {e->path, e->dir, e->argv[0]};
    for (int i = 0; i < 3; i++) p = stpcpy(p, fixed[i]) + 1;
    for (char **v = e->envp; *v; v++) p = stpcpy(p, *v) + 1;
    *len = (uint32_t)n;
    memcpy(spec, len, sizeof *len);
    return spec;
}

int cgi_helper_spawn(const cgi_exec *e, const int fds[3], pid_t *pid, int *channel)
{
    uint32_t len;
    char *spec = spec_of(e, &len);
    if (spec == NULL) return errno = E2BIG, -1;
    int ch[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ch) != 0) {
        free(spec);
        return -1;
    }
    int pass[4] = {fds[0], fds[1], fds[2], ch[1]};
    char byte = 'S';
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof pass)];
    } cm;
    memset(&cm, 0, sizeof cm);
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cm.buf;
    msg.msg_controllen = sizeof cm.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof pass);
    memcpy(CMSG_DATA(c), pass, sizeof pass);
    ssize_t sent;
    do sent = sendmsg(g_control, &msg, MSG_NOSIGNAL); while (sent < 0 && errno == EINTR);
    int saved = errno;
    close(ch[1]);
    int32_t answer = -EPIPE;
    if (sent == 1 && write_all(ch[0], spec, sizeof len + len) == 0) {
        struct timeval tv = {30, 0};
        setsockopt(ch[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (read_all(ch[0], &answer, sizeof answer) != 0) answer = -EPIPE;
        tv.tv_sec = 0;
        setsockopt(ch[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    } else if (sent != 1) {
        answer = -saved;
    }
    free(spec);
    if (answer <= 0) {
        close(ch[0]);
        errno = answer < 0 ? -answer : EPROTO;
        return -1;
    }
    *pid = answer;
    *channel = ch[0];
    return 0;
}
