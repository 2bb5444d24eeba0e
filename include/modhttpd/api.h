/*
 * modhttpd module ABI: the services table.
 *
 * The server hands every module one `const mh_api *` in register_hooks.
 * Everything a module needs from the server goes through it, so a module
 * links against nothing from the server binary. Members are only ever
 * appended, each group marked with the ABI minor that added it; test for a
 * newer member with MH_API_HAS(api, member) before calling it.
 *
 * Strings a function returns stay valid for the request (request
 * functions) or the configuration (server functions) unless said otherwise.
 */
#ifndef MODHTTPD_API_H
#define MODHTTPD_API_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "modhttpd/module.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MH_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define MH_PRINTF(fmt, first)
#endif

/* Log levels, as Apache's LogLevel. */
enum mh_log_level {
    MH_LOG_EMERG, MH_LOG_ALERT, MH_LOG_CRIT, MH_LOG_ERR, MH_LOG_WARNING,
    MH_LOG_NOTICE, MH_LOG_INFO, MH_LOG_DEBUG, MH_LOG_TRACE1, MH_LOG_TRACE2,
    MH_LOG_TRACE3, MH_LOG_TRACE4, MH_LOG_TRACE5, MH_LOG_TRACE6, MH_LOG_TRACE7,
    MH_LOG_TRACE8
};

/* Bits of `Options` in effect for a request. */
#define MH_OPT_INDEXES 0x1u
#define MH_OPT_FOLLOW_SYMLINKS 0x2u
/* 1.2: follow a symlink only when its target has the link's owner (Apache's
 * SymLinksIfOwnerMatch). A module that does not know the bit sees neither
 * FollowSymLinks nor this one: it refuses every link, the safe side. */
#define MH_OPT_SYMLINKS_IF_OWNER_MATCH 0x4u

/* Worker states in the scoreboard; the value is mod_status's letter. */
enum mh_worker_state {
    MH_WORKER_DEAD = '.',
    MH_WORKER_STARTING = 'S',
    MH_WORKER_READY = '_',
    MH_WORKER_READ = 'R',
    MH_WORKER_WRITE = 'W',
    MH_WORKER_KEEPALIVE = 'K',
    MH_WORKER_LOG = 'L',
    MH_WORKER_DNS = 'D',
    MH_WORKER_CLOSING = 'C',
    MH_WORKER_GRACEFUL = 'G',
    MH_WORKER_IDLE_KILL = 'I'
};

/* Server-wide figures from the scoreboard. The caller sets struct_size. */
typedef struct mh_status_global {
    uint32_t struct_size;
    const char *mpm_name;        /* "prefork", "worker" */
    int threaded;                /* the MPM runs threads in its children */
    int server_limit;            /* process slots in the scoreboard */
    int thread_limit;            /* thread slots per process */
    int max_processes;           /* slots in use under current settings */
    int threads_per_child;
    int max_request_workers;
    int mpm_generation;          /* +1 per restart of any kind */
    int config_generation;       /* configurations read since start */
    int64_t start_time_us;       /* master start, microseconds since epoch */
    int64_t restart_time_us;     /* last restart (= start time without one) */
    uint64_t max_workers_episodes; /* times the pool hit MaxRequestWorkers */
} mh_status_global;

typedef struct mh_status_process {
    uint32_t struct_size;
    int pid;                     /* 0 when the slot is empty */
    int generation;
    int quiescing;               /* finishing its connections, then exiting */
} mh_status_process;

typedef struct mh_status_worker {
    uint32_t struct_size;
    int state;                   /* enum mh_worker_state */
    int pid;
    int generation;
    uint64_t access_count;       /* requests served in this slot since start */
    uint64_t bytes_served;
    uint64_t my_access_count;    /* ... by the slot's current process */
    uint64_t my_bytes_served;
    uint64_t conn_count;         /* requests on the current connection */
    uint64_t conn_bytes;
    uint64_t duration_us;        /* time spent serving, summed */
    int64_t last_used_us;        /* start of the current or last request */
    int64_t request_time_us;     /* how long the current or last one took */
    char client[48];
    char request[128];           /* request line, truncated */
    char vhost[64];
    char protocol[16];
} mh_status_worker;

typedef int (*mh_post_config_fn)(mh_server *s);
typedef void (*mh_process_fn)(mh_server *s);
typedef int (*mh_request_fn)(mh_request *r);
typedef int (*mh_header_fn)(void *data, const char *name, const char *value);

struct mh_mpm_services;

struct mh_api {
    uint32_t struct_size;        /* sizeof(mh_api) in the server */
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *server_version;  /* "modhttpd/0.1.0" */

    /* ---- 1.0: hooks. [master] from register_hooks only. -------------- */
    /* [master] After the configuration is read, before the MPM starts;
     * anything but MH_OK stops the server from starting. */
    void (*hook_post_config)(const mh_module *m, mh_post_config_fn fn, int order);
    /* [child] In each child after fork and privilege drop. */
    void (*hook_child_init)(const mh_module *m, mh_process_fn fn, int order);
    /* [child] When a child exits cleanly. */
    void (*hook_child_exit)(const mh_module *m, mh_process_fn fn, int order);
    /* [worker] Map the URL path to a file: set_filename and return MH_OK,
     * or MH_DECLINED for the next one (the core maps onto DocumentRoot). */
    void (*hook_translate_name)(const mh_module *m, mh_request_fn fn, int order);
    /* [worker] Last changes before the handler; all run unless one returns
     * neither MH_OK nor MH_DECLINED. */
    void (*hook_fixups)(const mh_module *m, mh_request_fn fn, int order);
    /* [worker] Produce the response, or MH_DECLINED to let the next try. */
    void (*hook_handler)(const mh_module *m, mh_request_fn fn, int order);
    /* [worker] After the response went out. */
    void (*hook_log_transaction)(const mh_module *m, mh_request_fn fn, int order);

    /* ---- 1.0: memory, freed with its pool. [any thread] ------------------ */
    void *(*palloc)(mh_pool *p, size_t n);
    void *(*pcalloc)(mh_pool *p, size_t n);
    char *(*pstrdup)(mh_pool *p, const char *s);
    char *(*pstrndup)(mh_pool *p, const char *s, size_t n);
    char *(*psprintf)(mh_pool *p, const char *fmt, ...) MH_PRINTF(2, 3);
    /* Runs fn(data) when the pool is freed, last registered first. */
    void (*pool_cleanup)(mh_pool *p, void (*fn)(void *data), void *data);

    /* ---- 1.0: configuration. -------------------------------------------- */
    void *(*server_config)(const mh_server *s, const mh_module *m);
    /* This module's per-directory config merged for the request. */
    void *(*dir_config)(const mh_request *r, const mh_module *m);
    mh_pool *(*config_pool)(const mh_server *s);
    const char *(*server_root)(const mh_server *s);
    /* `path` made absolute against ServerRoot. */
    char *(*server_path)(mh_pool *p, const mh_server *s, const char *path);
    const char *(*server_name)(const mh_server *s);

    /* ---- 1.0: logging to the ErrorLog. [any thread] --------------------- */
    /* `r` and `s` may be NULL; `os_errno` 0 unless a system call failed. */
    void (*log_error)(const mh_module *m, int level, int os_errno,
                      const mh_server *s, const mh_request *r,
                      const char *fmt, ...) MH_PRINTF(6, 7);
    int (*log_enabled)(const mh_module *m, const mh_server *s, int level);

    /* ---- 1.0: the request. [worker] ------------------------------------- */
    mh_pool *(*request_pool)(const mh_request *r);
    mh_server *(*request_server)(const mh_request *r);
    const char *(*request_method)(const mh_request *r);    /* "GET" */
    const char *(*request_line)(const mh_request *r);
    const char *(*request_target)(const mh_request *r);    /* as sent */
    /* Percent-decoded and normalised path, always starting with '/'. */
    const char *(*request_path)(const mh_request *r);
    const char *(*request_query)(const mh_request *r);     /* or NULL */
    const char *(*request_protocol)(const mh_request *r);  /* "HTTP/1.1" */
    const char *(*request_hostname)(const mh_request *r);  /* no port */
    /* First value of a request header (name in any case), or NULL. */
    const char *(*header_in)(const mh_request *r, const char *name);
    /* Calls fn for each request header until it returns non-zero. */
    int (*headers_in_each)(const mh_request *r, mh_header_fn fn, void *data);
    const char *(*client_ip)(const mh_request *r);
    const char *(*handler_name)(const mh_request *r);      /* SetHandler, or NULL */
    const char *(*filename)(const mh_request *r);          /* after translate_name */
    void (*set_filename)(mh_request *r, const char *filename);
    const char *(*document_root)(const mh_request *r);
    unsigned (*options)(const mh_request *r);              /* MH_OPT_* */
    /* DirectoryIndex names in effect: the i-th, or NULL past the last. */
    const char *(*directory_index)(const mh_request *r, int i);
    /* Content type for a file name from TypesConfig/AddType, or NULL. */
    const char *(*mime_type)(const mh_request *r, const char *filename);

    /* ---- 1.0: the request body. [worker] -------------------------------- */
    /* Content-Length, -1 for chunked, 0 when there is no body. */
    int64_t (*body_length)(const mh_request *r);
    /* Reads up to n bytes: >0 bytes read, 0 at the end, -1 on error. On
     * error the request's status says why (400, 408, 413); return it. The
     * core sends "100 Continue" first when the client asked for it and
     * enforces LimitRequestBody. */
    long (*read_body)(mh_request *r, void *buf, size_t n);

    /* ---- 1.0: the response. [worker] ------------------------------------ */
    void (*set_status)(mh_request *r, int status);
    int (*status)(const mh_request *r);
    void (*set_content_type)(mh_request *r, const char *type);
    void (*set_content_length)(mh_request *r, int64_t length);
    const char *(*header_out)(const mh_request *r, const char *name);
    void (*header_out_set)(mh_request *r, const char *name, const char *value);
    void (*header_out_add)(mh_request *r, const char *name, const char *value);
    void (*header_out_unset)(mh_request *r, const char *name);
    /* True for HEAD: send headers (with the length) but no body. */
    int (*header_only)(const mh_request *r);
    /* Body output. The first call sends the headers: with the length set
     * they go out as is, without it HTTP/1.1 gets chunked encoding.
     * Each returns 0, or -1 once the client has gone away. */
    int (*write)(mh_request *r, const void *data, size_t n);
    int (*puts)(mh_request *r, const char *s);
    int (*printf)(mh_request *r, const char *fmt, ...) MH_PRINTF(2, 3);
    /* Sends `length` bytes of `fd` from `offset` with sendfile(2). */
    int (*sendfile)(mh_request *r, int fd, int64_t offset, int64_t length);
    int (*flush)(mh_request *r);

    /* ---- 1.0: helpers. [any thread] ------------------------------------- */
    char *(*escape_html)(mh_pool *p, const char *s);
    /* Percent-encodes what may not stand in a URL path. */
    char *(*escape_path)(mh_pool *p, const char *s);
    /* RFC 9110 date: "Fri, 27 Nov 2026 16:21:25 GMT". */
    char *(*http_date)(mh_pool *p, int64_t unix_seconds);
    /* Parses the three HTTP date forms; -1 when invalid. */
    int64_t (*parse_http_date)(const char *s);

    /* ---- 1.0: the scoreboard, read-only. [any thread] ------------------- */
    /* Each fills *out up to out->struct_size; 0 on success, -1 if no such
     * slot or no scoreboard yet. */
    int (*status_global)(mh_status_global *out);
    int (*status_process)(int process, mh_status_process *out);
    int (*status_worker)(int process, int thread, mh_status_worker *out);

    /* ---- 1.0: services only an MPM uses (modhttpd/mpm.h). --------------- */
    const struct mh_mpm_services *mpm;

    /* ---- 1.1 ------------------------------------------------------------ */
    /* When the server binary was built: "Nov 27 2026 16:21:25". */
    const char *server_built;

    /* ---- 1.2: [worker] ------------------------------------------------------ */
    /* Apache's ap_psignature: under ServerSignature On or EMail, `prefix`
     * then "<address>modhttpd/0.1.0 (Unix) Server at host Port 80</address>\n"
     * (HTML, in the request's pool); "" under ServerSignature Off. */
    const char *(*server_signature)(mh_request *r, const char *prefix);

    /* ---- 1.2: the request's tables. [worker] ------------------------------- */
    /* Names compare without case and may repeat (Set-Cookie); set and add
     * copy name and value into the request's pool. */
    mh_table *(*headers_in)(mh_request *r);      /* request headers; modules may change them */
    mh_table *(*headers_out)(mh_request *r);     /* response headers: an error page drops them */
    mh_table *(*err_headers_out)(mh_request *r); /* sent with every response, error pages too */
    mh_table *(*notes)(mh_request *r);           /* between modules, for this request */
    mh_table *(*subprocess_env)(mh_request *r);  /* SetEnvIf's variables; CGI's environment */
    const char *(*table_get)(const mh_table *t, const char *name);  /* first value, or NULL */
    void (*table_set)(mh_table *t, const char *name, const char *value);   /* replaces all */
    void (*table_add)(mh_table *t, const char *name, const char *value);   /* one more */
    /* "old, value" (Apache's apr_table_merge), unless the list has it. */
    void (*table_merge)(mh_table *t, const char *name, const char *value);
    void (*table_unset)(mh_table *t, const char *name);
    /* fn(data, name, value) for each entry in order, until it returns non-zero. */
    int (*table_each)(const mh_table *t, mh_header_fn fn, void *data);
};

#ifdef __cplusplus
}
#endif

#endif
