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
#include "modhttpd/transport.h"

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
/* 1.3: CGI scripts may run here (Apache's ExecCGI; mod_cgi reads it). */
#define MH_OPT_EXECCGI 0x8u

/* 1.3: AcceptPathInfo (api->accept_path_info). */
#define MH_PATH_INFO_DEFAULT 0
#define MH_PATH_INFO_ACCEPT 1
#define MH_PATH_INFO_REJECT 2

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
    const char *mpm_name;        /* "prefork", "worker", "event" */
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
    /* ---- 1.2 ---- */
    int async;                   /* the MPM's connections wait without a worker (event) */
    /* Rows, and slots per row, used since start: nothing past them was ever
     * written, so a reader may stop there. */
    int used_processes;
    int used_threads;
} mh_status_global;

typedef struct mh_status_process {
    uint32_t struct_size;
    int pid;                     /* 0 when the slot is empty */
    int generation;
    int quiescing;               /* finishing its connections, then exiting */
    /* ---- 1.2: an event MPM's connections (0 under the others) ---- */
    int conns_total;             /* open connections */
    int conns_writing;           /* waiting for the client to take a response */
    int conns_keepalive;         /* idle between requests */
    int conns_closing;           /* in a lingering close */
    /* The MPM that started it and its threads: after a graceful restart
     * that changed the MPM, the old one's processes finish beside the new
     * one's. */
    char mpm_name[16];
    int threads;
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
/* 1.2: an error_response hook gets the status the core is about to answer. */
typedef int (*mh_error_fn)(mh_request *r, int status);

/* 1.2: output filters. A filter sees the response body on its way out: each
 * piece in order, then the end (eos set; data may be empty then). It hands
 * on what it makes of them with api->filter_pass. Before it passes anything
 * on, the response headers are still unsent, so it may change them (drop
 * Content-Length, add Content-Encoding). Return 0, or -1 to abort. */
typedef struct mh_filter mh_filter;
typedef int (*mh_filter_fn)(mh_filter *f, mh_request *r, const char *data, size_t n, int eos);

/* 1.2: regular expressions (PCRE2 inside the server, Perl syntax as
 * Apache's), so that a module needs no regex library of its own. */
typedef struct mh_regex mh_regex;
#define MH_REGEX_ICASE 0x1u  /* case-insensitive ([NC], SetEnvIfNoCase) */
#define MH_REGEX_MAX_MATCH 10 /* $0..$9 */
typedef struct mh_regmatch {
    int start, end;           /* byte offsets into the subject; -1 when unset */
} mh_regmatch;

/* Where a filter sits: lower types run first (nearer the handler). */
#define MH_FILTER_RESOURCE 10 /* changes the content itself (includes, rewriting) */
#define MH_FILTER_CONTENT 20  /* re-encodes it as a whole (compression) */
#define MH_FILTER_PROTOCOL 30 /* last before the HTTP framing (headers) */

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
    mh_table *(*headers_out)(mh_request *r);     /* response headers: an error page keeps only Allow,
                                                  * Location, WWW-Authenticate, Retry-After and
                                                  * Content-Range of them */
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

    /* ---- 1.2: request phases (Apache's). [master] from register_hooks. ---- */
    /* Order of a request: post_read_request, quick_handler, translate_name,
     * (the <Directory>/<Location> walk), header_parser, access_checker,
     * access_checker_ex, then check_user_id and auth_checker only when
     * access_checker_ex declined, type_checker, fixups, insert_filter,
     * handler, log_transaction. Run styles: ALL (every hook, until one
     * returns neither MH_OK nor MH_DECLINED) or FIRST (until one returns
     * something other than MH_DECLINED). A status (100..599) ends the
     * request with that status. All [worker]. */
    /* ALL. The head is read, nothing is mapped yet (SetEnvIf, early headers). */
    void (*hook_post_read_request)(const mh_module *m, mh_request_fn fn, int order);
    /* FIRST. Answers before any mapping or access check (caches); MH_OK or
     * MH_DONE: the response is complete. */
    void (*hook_quick_handler)(const mh_module *m, mh_request_fn fn, int order);
    /* ALL. The request is mapped; per-directory config is known. */
    void (*hook_header_parser)(const mh_module *m, mh_request_fn fn, int order);
    /* ALL. Access by what the request is (address, method...). */
    void (*hook_access_checker)(const mh_module *m, mh_request_fn fn, int order);
    /* FIRST. Authorization that needs no user: MH_OK grants it without
     * authentication; MH_DECLINED means a user is needed (then
     * check_user_id and auth_checker run); a status refuses. With no hook
     * here at all, every request is allowed. */
    void (*hook_access_checker_ex)(const mh_module *m, mh_request_fn fn, int order);
    /* FIRST. Authentication: set_user and MH_OK, or 401. Declined by all:
     * 500 (authentication asked for but not configured). */
    void (*hook_check_user_id)(const mh_module *m, mh_request_fn fn, int order);
    /* FIRST. Authorization of the user: MH_OK, or 401/403. */
    void (*hook_auth_checker)(const mh_module *m, mh_request_fn fn, int order);
    /* FIRST. Content type and handler from the file name (AddHandler). */
    void (*hook_type_checker)(const mh_module *m, mh_request_fn fn, int order);
    /* ALL (results ignored). Add output filters for this request. */
    void (*hook_insert_filter)(const mh_module *m, mh_request_fn fn, int order);
    /* FIRST. The core is about to answer `status` with its error page: a
     * hook may answer instead (MH_OK: it wrote the response, or redirected
     * with internal_redirect), or decline. ErrorDocument is one. */
    void (*hook_error_response)(const mh_module *m, mh_error_fn fn, int order);

    /* ---- 1.2: the request, more of it. [worker] --------------------------- */
    const char *(*user)(const mh_request *r);              /* authenticated user, or NULL */
    void (*set_user)(mh_request *r, const char *user);
    const char *(*auth_type)(const mh_request *r);         /* AuthType in force, or NULL */
    const char *(*auth_name)(const mh_request *r);         /* AuthName (the realm), or NULL */
    const char *(*local_ip)(const mh_request *r);          /* the address the client connected to */
    int (*local_port)(const mh_request *r);
    int (*client_port)(const mh_request *r);
    void (*set_handler)(mh_request *r, const char *handler); /* type_checker, fixups */
    /* Serves `uri` (a local path, with a query) instead, as Apache's
     * ap_internal_redirect: mapping, access checks and handler run again
     * for it; the status stays (an ErrorDocument is served with the error's
     * status), REDIRECT_URL, REDIRECT_STATUS and REDIRECT_QUERY_STRING go
     * into subprocess_env. Made from an error_response hook, the redirected
     * request is a GET whatever the method was (HEAD stays HEAD), as
     * Apache's ErrorDocument. Returns 0, or the status it ended with. At
     * most 10 deep (AH00124). */
    int (*internal_redirect)(mh_request *r, const char *uri);
    /* The status before an error page or redirect replaced it (%s vs %>s). */
    int (*original_status)(const mh_request *r);
    /* What set_content_type set ("text/html; charset=utf-8"), or NULL. The
     * response's Content-Type lives here, not in headers_out. */
    const char *(*content_type)(const mh_request *r);
    /* What set_content_length set, or -1 when the length is not known. */
    int64_t (*content_length)(const mh_request *r);

    /* ---- 1.2: output filters ---------------------------------------------- */
    /* [master] from register_hooks: `name` (case-insensitive, e.g.
     * "DEFLATE") may then be added to requests, by this call or by
     * SetOutputFilter and AddOutputFilterByType. */
    void (*register_output_filter)(const mh_module *m, const char *name, mh_filter_fn fn, int type);
    /* [worker] Adds a registered filter to the request, before any of the
     * body has passed the filter that calls it (or the handler). 0, or -1
     * when no filter has that name. `ctx` is filter_ctx's first value. */
    int (*add_output_filter)(mh_request *r, const char *name, void *ctx);
    /* [worker] Hands bytes (and the end) to the next filter. 0, or -1 once
     * the client is gone. */
    int (*filter_pass)(mh_filter *f, const char *data, size_t n, int eos);
    void *(*filter_ctx)(const mh_filter *f);
    void (*filter_set_ctx)(mh_filter *f, void *ctx);
    /* [worker] Takes the filter out: what it would be given goes straight
     * on to the next one (a filter that decided not to act). */
    void (*filter_remove)(mh_filter *f);

    /* ---- 1.2: providers: what one module offers another by name -------- */
    /* [master] Offers `provider` (a struct the group's header defines, e.g.
     * modhttpd/auth.h) under group/name/version; a later one replaces it. */
    void (*register_provider)(const mh_module *m, const char *group, const char *name, const char *version,
                              const void *provider);
    /* [any] The provider, or NULL. */
    const void *(*lookup_provider)(const char *group, const char *name, const char *version);

    /* ---- 1.2: regular expressions. [any thread] ---------------------------- */
    /* Compiles `pattern` (freed with the pool); NULL with *error set (a
     * message in the pool) when it does not compile. */
    mh_regex *(*regex_compile)(mh_pool *p, const char *pattern, unsigned flags, const char **error);
    /* 1 when it matches, filling up to `nmatch` groups ($0 is the match), 0
     * when not. A compiled regex may be used by many threads at once. */
    int (*regex_match)(const mh_regex *re, const char *subject, mh_regmatch *match, int nmatch);
    /* `tmpl` with $0..$9 replaced by the groups of a match on `subject`
     * (a missing group is empty); a backslash makes the next character
     * literal and goes (\$ is '$'), as Apache's ap_pregsub; in the pool. */
    char *(*regex_substitute)(mh_pool *p, const char *tmpl, const char *subject, const mh_regmatch *match,
                              int nmatch);

    /* ---- 1.2: where a hook runs. [worker] -------------------------------- */
    /* 1 when the calling thread may block for this request (a worker
     * thread, or any thread of prefork and worker); 0 on an event loop,
     * where a hook of an MH_MODULE_NONBLOCKING module that finds it must
     * wait (a DNS lookup, a password hash) returns MH_WOULD_BLOCK instead. */
    int (*request_may_block)(const mh_request *r);

    /* ---- 1.2: URLs. [worker] --------------------------------------------- */
    /* "http://host[:port]" followed by `path` (as given: escape it first),
     * in the request's pool: Apache's ap_construct_url with UseCanonicalName
     * Off. The host is the one the client asked for (ServerName when its
     * Host is missing or unusable), the port the one it named, left out
     * when it named none or 80. For redirects to this server. */
    char *(*construct_url)(mh_request *r, const char *path);

    /* ---- 1.2: the request's context (Apache's ap_set_context_info). ------ */
    /* A translate_name hook that maps a URL prefix onto a directory other
     * than DocumentRoot (Alias) names both: `prefix` the URL-path prefix,
     * `root` the directory that serves it (copied). A handler that serves
     * files stays beneath context_document_root as it would beneath
     * DocumentRoot; CGI gets them as CONTEXT_PREFIX, CONTEXT_DOCUMENT_ROOT. */
    void (*set_context_info)(mh_request *r, const char *prefix, const char *root);
    const char *(*context_document_root)(const mh_request *r);  /* else DocumentRoot */
    const char *(*context_prefix)(const mh_request *r);         /* else "" */

    /* ---- 1.3: ---------------------------------------------------------- */
    /* [any thread] Timeout, in seconds: how long one network read or write
     * may wait (Apache's server->timeout); ProxyTimeout's default. */
    int (*server_timeout)(const mh_server *s);
    /* [worker] The extra path after the file a URL names (Apache's
     * r->path_info): for "/cgi-bin/env.sh/a/b" mapped onto the script
     * env.sh, "/a/b"; "" when none. Known once the request is mapped. */
    const char *(*path_info)(const mh_request *r);
    /* [any thread] ServerAdmin, or "" when not set (CGI's SERVER_ADMIN). */
    const char *(*server_admin)(const mh_server *s);
    /* [worker] AcceptPathInfo in force: MH_PATH_INFO_DEFAULT (the handler
     * decides: a file's refuses path_info with 404, a script's takes it),
     * MH_PATH_INFO_ACCEPT (On) or MH_PATH_INFO_REJECT (Off). */
    int (*accept_path_info)(const mh_request *r);
    /* [any thread] The configuration's servers, as Apache's s->next: given
     * the main server (post_config's, child_init's), its first
     * <VirtualHost>; given a vhost, the next one in the file; NULL after the
     * last. For a module that prepares something per server. */
    mh_server *(*next_server)(const mh_server *s);
    /* [worker] From translate_name: the URL-path the rest of the mapping
     * sees (Apache's r->uri, which mod_rewrite's [PT] changes): the later
     * translate_name hooks, the core's DocumentRoot map, the <Location>
     * walk. Decoded, as request_path gives it; "." and ".." segments are
     * resolved and repeated slashes merged. 0, or -1 (nothing changed)
     * when `path` does not start with '/' or climbs above the root. */
    int (*set_request_path)(mh_request *r, const char *path);
    /* [worker] The query string, raw (what follows '?'), or NULL for none
     * (Apache's r->args): what request_query gives from then on. */
    void (*set_request_query)(mh_request *r, const char *query);
    /* [worker] How the request names this server, under UseCanonicalName
     * (Apache's ap_get_server_name/ap_get_server_port): SERVER_NAME and
     * SERVER_PORT. Off (default): the Host the client sent, else the
     * vhost's ServerName; the port it named, else the connection's. On:
     * ServerName and its port (else the connection's). DNS: the address the
     * client connected to. */
    const char *(*request_server_name)(const mh_request *r);
    int (*request_server_port)(const mh_request *r);
    /* [worker] CGI (Apache's util_script: ap_add_common_vars and
     * ap_add_cgi_vars). Sets in `env` every meta-variable of RFC 3875 and
     * Apache's additions: HTTP_* from the request headers (a repeated one
     * joined with ", "; Authorization, Proxy-Authorization and Proxy left
     * out; a name with other characters than letters, digits and '-' not
     * exported), CONTENT_TYPE, CONTENT_LENGTH, PATH, SERVER_SIGNATURE,
     * SERVER_SOFTWARE, SERVER_NAME, SERVER_ADDR, SERVER_PORT, REMOTE_ADDR,
     * REMOTE_PORT, DOCUMENT_ROOT, REQUEST_SCHEME, CONTEXT_PREFIX,
     * CONTEXT_DOCUMENT_ROOT, SERVER_ADMIN, SCRIPT_FILENAME (the request's
     * file), REMOTE_USER and AUTH_TYPE (when authenticated),
     * GATEWAY_INTERFACE, SERVER_PROTOCOL, REQUEST_METHOD, QUERY_STRING,
     * REQUEST_URI, SCRIPT_NAME, PATH_INFO and PATH_TRANSLATED (when there is
     * path_info). Each replaces an entry of that name. Pass
     * subprocess_env(r), as Apache does, to have them over SetEnvIf's. */
    void (*add_cgi_vars)(mh_request *r, mh_table *env);
    /* [worker] Reads a script's header block (Apache's
     * ap_scan_script_header_err_core) through `getline`, which puts the
     * next line in buf (NUL-terminated, its LF or CRLF optional; at most
     * n - 1 bytes: a longer line is refused) and returns 1; 0 at the end
     * of the output; or an HTTP status, having logged why (a timeout).
     * Up to the blank line: Status sets the status (three digits,
     * 200..599), Content-Type and Content-Length the response's own,
     * Set-Cookie goes to err_headers_out, hop-by-hop headers
     * (Transfer-Encoding, Connection...) nowhere, the rest to headers_out;
     * a line starting with a blank continues the one before. Returns
     * MH_OK; MH_SCRIPT_REDIRECT when a Location came and the status is 200
     * (a local path, "/...": the caller serves it with internal_redirect;
     * a URL: a 302); 500 on a malformed line (AH01221) or the end before
     * the blank line (AH01215); or what getline returned. `who` names the
     * script in the log lines. */
    int (*scan_script_header)(mh_request *r, int (*getline)(void *data, char *buf, size_t n), void *data,
                              const char *who);

    /* ---- 1.4: connection transports (modhttpd/transport.h) ---- */
    /* [master] from register_hooks. FIRST: each new connection is offered
     * to these hooks, in order, until one wraps it (MH_OK) in a transport
     * of its own (TLS); declined by all, it is a plain socket. */
    void (*hook_create_transport)(const mh_module *m, mh_transport_fn fn, int order);
    /* [any thread] The server that answers `host` (a name without port, as
     * a TLS client's SNI; NULL or "": none) on a connection to
     * local_ip:local_port, by Apache's vhost rules: the address picks the
     * <VirtualHost> set, the name one of them, else the set's default; the
     * main server when no <VirtualHost> covers the address. `main` is the
     * main server. */
    mh_server *(*server_for_address)(const mh_server *main, const char *local_ip, int local_port,
                                     const char *host);
    /* [worker] A variable of the request's connection from its transport
     * (mh_transport_ops.var: "HTTPS", "SSL_PROTOCOL"...), or NULL: what
     * Apache's ssl_var_lookup gives for the connection. */
    const char *(*connection_var)(const mh_request *r, const char *name);
};

/* scan_script_header's answer for a Location without a Status. */
#define MH_SCRIPT_REDIRECT 1

#ifdef __cplusplus
}
#endif

#endif
