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
};

#ifdef __cplusplus
}
#endif

#endif
