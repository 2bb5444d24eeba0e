/*
 * mod_cgi internals, shared by its files (hidden visibility: the one
 * exported symbol is cgi_module, in mod_cgi.c).
 *
 *   mod_cgi.c       descriptor, child_init, the handler's checks
 *   cgi_env.c       the environment: the core's meta-variables (add_cgi_vars)
 *   cgi_exec.c      the forked child's last steps before execve
 *   cgi_proc.c      starting a script and ending it: fork here (prefork)
 *                   or ask the helper (threaded MPMs)
 *   cgi_helper.c    the helper process that forks scripts for a threaded
 *                   child, and the worker's side of talking to it
 *   cgi_run.c       stdin, stdout and stderr while the script runs
 *
 * Every function runs [worker] unless marked otherwise.
 */
#ifndef MOD_CGI_H
#define MOD_CGI_H

#include <stddef.h>
#include <sys/types.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module cgi_module;
extern const mh_api *cgi_api; /* kept by register_hooks */

/* What to run: all in the request's pool, ready for execve. */
typedef struct cgi_exec {
    const char *path;   /* the script */
    const char *dir;    /* its directory: the working directory */
    char **argv;        /* { basename, NULL } */
    char **envp;        /* "NAME=value", NULL-terminated */
} cgi_exec;

/* ---- cgi_env.c ---------------------------------------------------------- */
char **cgi_environment(mh_request *r);

/* ---- cgi_exec.c --------------------------------------------------------- */
/* fork(2) without the pthread_atfork handlers of the libraries in the
 * process: libuv's, for one, closes and reopens descriptors it takes for
 * its own, which in a helper are the script's pipes by then. The child may
 * only make async-signal-safe calls until it execs. */
pid_t cgi_fork(void);
/* [forked child] Makes in/out/err the script's 0/1/2, closes every other
 * descriptor, puts back default signal handling, starts a process group of
 * its own (so that a timeout ends whatever the script started), changes to
 * its directory and executes it. Only async-signal-safe calls: the parent
 * may have threads. Never returns. */
void cgi_exec_child(const cgi_exec *e, int in, int out, int err) __attribute__((noreturn));

/* ---- cgi_proc.c --------------------------------------------------------- */
typedef struct cgi_proc {
    int in, out, err;   /* our ends of the script's stdin, stdout, stderr; -1 once closed */
    pid_t pid;          /* also its process group */
    int helper;         /* with the helper: our channel to it about this script, else -1 */
    int exited;         /* reaped; `status` is its wait status (-1 unknown) */
    int status;
    int killed;         /* we sent SIGKILL */
} cgi_proc;

/* 0, or an HTTP status (logged). */
int cgi_proc_start(mh_request *r, const cgi_exec *e, cgi_proc *p);
/* Signals the script's process group, unless it is reaped. */
void cgi_proc_kill(cgi_proc *p, int sig);
/* Closes our ends and reaps the script: a script still running a moment
 * after its output ended gets SIGTERM, then SIGKILL (Apache's
 * kill_after_timeout); `now` kills it at once. */
void cgi_proc_end(mh_request *r, cgi_proc *p, int now);

/* ---- cgi_helper.c ------------------------------------------------------- */
/* [child] Forks the helper; 0, or -1 (logged). */
int cgi_helper_start(mh_server *s);
int cgi_helper_active(void);
/* Hands the helper the script's ends of the pipes and what to run: 0 with
 * *pid and *channel set, or -1 with errno. */
int cgi_helper_spawn(const cgi_exec *e, const int fds[3], pid_t *pid, int *channel);

/* ---- cgi_run.c ---------------------------------------------------------- */
/* Feeds the request body, reads the headers and streams the body: the
 * handler's result. */
int cgi_run(mh_request *r, cgi_proc *p);

/* The script's base name, for log lines. */
const char *cgi_script_name(const mh_request *r);

#endif
