/*
 * modhttpd module ABI: the Multi-Processing Module entry.
 *
 * An MPM is a module whose descriptor points to an mh_mpm. It owns processes
 * and threads only: the core binds the listeners, reads the configuration,
 * runs the master's event loop (libuv) and its signals, and serves each
 * connection the MPM accepts (services->serve_connection).
 *
 * The core outlives any one MPM. A generation starts with start() and ends
 * with stop() or with the next start(); both are asked of the MPM by the core,
 * on the master's loop. Because listeners belong to the core and stop() leaves
 * them open, one MPM can drain its children while another serves the same
 * sockets.
 */
#ifndef MODHTTPD_MPM_H
#define MODHTTPD_MPM_H

#include <stdint.h>

#include "modhttpd/api.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uv_loop_s;
struct sockaddr;

/* One worker's slot in the scoreboard. */
typedef struct mh_slot mh_slot;
/* 1.2: a connection the core serves, driven by an event MPM (conn_*). */
typedef struct mh_conn mh_conn;

/* 1.2: what a connection waits for (conn_step). */
enum mh_conn_want {
    MH_CONN_READ = 1,    /* its socket to be readable */
    MH_CONN_WRITE = 2,   /* its socket to be writable */
    MH_CONN_WORKER = 3,  /* a worker thread, to run conn_run (a hook may block) */
    MH_CONN_DONE = 4     /* nothing: close it (conn_close) */
};

/* 1.2: what a connection is doing, for the MPM's counts (mod_status). */
enum mh_conn_phase {
    MH_CONN_READING = 0,    /* a request head or body is arriving */
    MH_CONN_BUSY = 1,       /* a request is being processed */
    MH_CONN_WRITING = 2,    /* a response waits for the client to take it */
    MH_CONN_KEEPALIVE = 3,  /* idle between requests */
    MH_CONN_CLOSING = 4     /* lingering close */
};

/* How the previous generation ends when a new one starts. */
enum mh_start_kind {
    MH_START_FIRST = 0,       /* server start: there is no previous one */
    MH_RESTART_GRACEFUL = 1,  /* USR1: old children finish their connection */
    MH_RESTART_HARD = 2       /* HUP: old children are ended at once */
};

/* How to stop. */
enum mh_stop_kind {
    MH_STOP_NOW = 0,          /* TERM: end children at once */
    MH_STOP_GRACEFUL = 1      /* WINCH: let them finish, within
                                 GracefulShutdownTimeout */
};

/* One accepted connection handed to the core. */
typedef struct mh_conn_info {
    uint32_t struct_size;
    int fd;                       /* the core closes it */
    const struct sockaddr *peer;
    unsigned peer_len;
    int listener;                 /* index of the listener it came from */
    mh_slot *slot;                /* scoreboard slot of the serving worker */
    /* Non-zero asks the core to end the connection after the current
     * request (graceful restart or stop). Read between requests. */
    const volatile int *stopping;
    /* ---- 1.2 ---- */
    /* Bytes already read from the socket (a front end that read the head),
     * parsed before anything else is read; NULL/0 when none. */
    const char *initial;
    size_t initial_len;
    /* When the request head began to arrive, on now_ms's clock, when a
     * front end waited for it before handing the connection over (its bytes
     * still in the socket): the head's timeouts count from then. 0: now. */
    int64_t head_started_ms;
} mh_conn_info;

/* Services the core offers an MPM, through api->mpm. */
typedef struct mh_mpm_services {
    uint32_t struct_size;

    /* [master] The loop the core runs; put timers and watchers on it. */
    struct uv_loop_s *(*loop)(void);
    /* [master] Listening sockets, bound by the core and kept across
     * restarts while their address is unchanged. */
    int (*listener_count)(void);
    int (*listener_fd)(int i);
    const char *(*listener_name)(int i);         /* "127.0.0.1:8080" */
    int (*generation)(void);                     /* current generation */
    /* [master] The core's stop request finished: every child of this MPM
     * has exited. The core ends the loop. */
    void (*stopped)(const mh_module *mpm);
    /* [master] A settings warning, in Apache's form: on the console at
     * first start and with -t, in the error log on restart. */
    void (*config_warning)(const mh_server *s, const char *fmt, ...) MH_PRINTF(2, 3);

    /* [master] Creates the scoreboard at first start with room for
     * server_limit processes of thread_limit threads; later calls keep the
     * first size (it is shared memory that children hold). Returns 0, or -1
     * when it could not be created. Limits in effect are then read with
     * scoreboard_limits. */
    int (*scoreboard_open)(int server_limit, int thread_limit);
    void (*scoreboard_limits)(int *server_limit, int *thread_limit);
    /* [master] What mod_status shows: slots in use and the worker cap. */
    void (*scoreboard_describe)(int max_processes, int threads_per_child,
                                int max_request_workers);
    /* [master] Counts a new episode of the pool at MaxRequestWorkers. */
    void (*scoreboard_saturated)(void);
    /* [any] Slot access. Processes index 0..server_limit-1, threads
     * 0..thread_limit-1. */
    mh_slot *(*slot)(int process, int thread);
    int (*slot_state)(const mh_slot *slot);              /* mh_worker_state */
    void (*slot_set_state)(mh_slot *slot, int state);
    /* [any] Process slot: pid 0 = empty. */
    void (*process_set)(int process, int pid, int generation, int quiescing);
    int (*process_pid)(int process);
    int (*process_generation)(int process);

    /* [child] Right after fork(): closes the master's loop descriptors and
     * resets the signal handlers the master installed. */
    void (*child_after_fork)(void);
    /* [child] Switches to User/Group when started as root. 0, or -1 (logged;
     * the child must exit). */
    int (*drop_privileges)(void);
    /* [child] Runs the child_init / child_exit hooks. */
    void (*run_child_init)(void);
    void (*run_child_exit)(void);
    /* [worker] Serves one connection to its end, keep-alive included, and
     * closes it. Blocking; many threads may call it at once. */
    void (*serve_connection)(const mh_conn_info *conn);

    /* ---- 1.1 ---- */
    /* [any] Records which process (and generation) a worker slot now
     * belongs to; also starts its per-process counters afresh. */
    void (*slot_set_owner)(mh_slot *slot, int pid, int generation);

    /* ---- 1.2: driving a connection without blocking (an event MPM) ----- */
    /* The same HTTP engine and request pipeline as serve_connection, as a
     * state machine: the core reads and writes the socket (non-blocking)
     * and says what it waits for; the MPM watches the socket, keeps the
     * deadline and supplies worker threads. One thread at a time may use a
     * connection. */
    /* [loop] Takes over an accepted connection (the fd is the core's). */
    mh_conn *(*conn_open)(const mh_conn_info *info);
    /* [loop] Does what it can now; returns an mh_conn_want. *deadline_ms
     * (on now_ms's clock): call again then even if the socket is not ready
     * (a timeout), or -1 for none. */
    int (*conn_step)(mh_conn *c, int64_t *deadline_ms);
    /* [worker] After MH_CONN_WORKER: the part of the request that may block.
     * Then conn_step again, on the loop. */
    void (*conn_run)(mh_conn *c);
    /* [owner] The scoreboard slot that accounts for what it serves next. */
    void (*conn_set_slot)(mh_conn *c, mh_slot *slot);
    int (*conn_phase)(const mh_conn *c);  /* mh_conn_phase */
    int (*conn_fd)(const mh_conn *c);     /* the socket, to watch */
    /* [loop] Frees it and closes its socket. */
    void (*conn_close)(mh_conn *c);
    /* [any] Milliseconds on the monotonic clock of the deadlines. */
    int64_t (*now_ms)(void);
    /* [child] What process slot `process` holds now, for mod_status. */
    void (*process_set_conns)(int process, int total, int writing, int keepalive, int closing);

    /* ---- 1.2: a front end that waits for request heads ------------------ */
    /* [any] The first `len` bytes a connection sent, as the HTTP engine
     * reads them: 0 while the request head is incomplete, 1 once it is
     * complete, or the HTTP status (400, 414, 431...) of a head that cannot
     * be valid. The connection is then handed to serve_connection, which
     * answers it. */
    int (*head_scan)(const mh_server *s, const char *data, size_t len);
    /* [any] When a head that began to arrive at `started_ms`, of which
     * `received` bytes arrived (the last at `last_ms`), is late
     * (RequestReadTimeout header=, Timeout), on now_ms's clock. */
    int64_t (*head_deadline)(const mh_server *s, int64_t started_ms, int64_t last_ms, size_t received);
} mh_mpm_services;

struct mh_mpm {
    uint32_t struct_size;     /* sizeof(mh_mpm) at build time */
    const char *name;         /* "prefork": shown by -V, -M and mod_status */
    int threaded;             /* runs module hooks on many threads at once */

    /* [master] After each configuration read, also under -t: correct
     * inconsistent settings with Apache's warnings (config_warning).
     * Return 0, or -1 to refuse the configuration. */
    int (*check_config)(mh_server *s);
    /* [master] Serve generation services->generation() on the listeners:
     * at start (MH_START_FIRST) and after each restart, ending the previous
     * generation as `kind` says. Return 0, or -1 if it could not start. */
    int (*start)(mh_server *s, int kind);
    /* [master] Stop serving (mh_stop_kind), leaving the listeners open,
     * then call services->stopped once the last child has exited. */
    void (*stop)(mh_server *s, int how);
    /* [master] -X: serve from this one process until SIGTERM/SIGINT. */
    int (*run_single_process)(mh_server *s);
    /* ---- 1.2 ---- */
    /* Connections wait without holding a worker (event): mod_status then
     * shows each process's connections (process_set_conns). */
    int async;
};

#ifdef __cplusplus
}
#endif

#endif
