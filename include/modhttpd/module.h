/*
 * modhttpd module ABI: the module descriptor and its directive table.
 *
 * A module is a shared object that exports exactly one symbol, a const
 * mh_module named in the LoadModule line:
 *
 *     static void register_hooks(const mh_api *api, const mh_module *self);
 *
 *     MH_DECLARE_MODULE(hello_module) = {
 *         MH_MODULE_HEADER,
 *         MH_MODULE_NO_FLAGS,
 *         NULL,                 // directives
 *         NULL, NULL, NULL,     // create_dir, merge_dir, create_server
 *         register_hooks,
 *         NULL,                 // not an MPM
 *         NULL                  // merge_server_config (1.3)
 *     };
 *
 * Where each function runs is written next to it:
 *   [master]  the master process, as the user that started the server;
 *   [child]   a child process, after it dropped privileges;
 *   [worker]  any worker thread of a child: under mpm_worker, many at once.
 */
#ifndef MODHTTPD_MODULE_H
#define MODHTTPD_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "modhttpd/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque handles: only the server allocates them; modules use accessors. */
typedef struct mh_pool mh_pool;       /* memory freed all at once */
typedef struct mh_server mh_server;   /* the running configuration */
typedef struct mh_request mh_request; /* one HTTP request */
typedef struct mh_table mh_table;     /* name/value list, names without case (1.2) */

typedef struct mh_api mh_api;
typedef struct mh_mpm mh_mpm;
typedef struct mh_module mh_module;

/* Argument shapes, as Apache's command_rec args_how. The core checks the
 * count and reports arity errors itself, in Apache's words. */
typedef enum mh_args_how {
    MH_RAW_ARGS,  /* argv[0] is the rest of the line, unparsed */
    MH_TAKE1,     /* exactly one argument */
    MH_TAKE2,     /* exactly two */
    MH_TAKE12,    /* one or two */
    MH_TAKE3,     /* exactly three */
    MH_TAKE23,    /* two or three */
    MH_TAKE123,   /* one, two or three */
    MH_TAKE13,    /* one or three */
    MH_ITERATE,   /* one or more: the setter is called once per argument */
    MH_ITERATE2,  /* two or more: called with argv[0] and each other one */
    MH_FLAG,      /* On or Off, any case: argv[0] is "On" or "Off" */
    MH_NO_ARGS,   /* none */
    MH_TAKE_ARGV, /* any number, all at once */
    /* 1.2: a container, "<Name args> ... </Name>" (the command's name is
     * "<Name"). The setter is called with the arguments when it opens and
     * with argc == -1 (argv NULL) when it closes; the directives inside
     * apply to the enclosing scope, with the same dir_config, in between
     * (<RequireAll> collects the Require lines it holds). */
    MH_SECTION
} mh_args_how;

/* Where a directive may appear (bit set). */
#define MH_WHERE_SERVER 0x1u /* main configuration, outside any section */
#define MH_WHERE_DIR 0x2u    /* inside <Directory> and <Location> */
#define MH_WHERE_ANY (MH_WHERE_SERVER | MH_WHERE_DIR)
/* 1.3: with MH_WHERE_SERVER, refused inside <VirtualHost> ("X cannot
 * occur within <VirtualHost> section"): a process-wide setting. An MPM's
 * directives are refused there whether or not they carry it. */
#define MH_WHERE_NOT_IN_VHOST 0x4u

/* What the core tells a directive setter. Read-only; grows at the end. */
typedef struct mh_cmd_parms {
    uint32_t struct_size;
    const char *directive;     /* name as written in the file */
    const char *file;          /* configuration file, absolute */
    unsigned line;             /* line number in that file */
    uintptr_t data;            /* mh_command.data */
    mh_pool *pool;             /* lives as long as this configuration */
    mh_server *server;
    void *server_config;       /* this module's create_server_config result */
    const char *section;       /* "<Location /x>" path, or NULL outside */
} mh_cmd_parms;

/* [master] Directive setter. `dir_config` is this module's per-directory
 * config for the enclosing section (or the server-wide one outside
 * sections). Arguments stay valid as long as the configuration. Return NULL
 * on success or an error message (static, or allocated in cmd->pool). */
typedef const char *(*mh_cmd_fn)(const mh_cmd_parms *cmd, void *dir_config,
                                 int argc, const char *const *argv);

typedef struct mh_command {
    const char *name;      /* NULL ends the table */
    mh_cmd_fn set;
    uintptr_t data;        /* handed back as cmd->data, e.g. an offsetof() */
    unsigned where;        /* MH_WHERE_* */
    mh_args_how args_how;
    const char *usage;     /* one line shown in arity errors */
} mh_command;

#define MH_COMMAND_END { NULL, NULL, 0, 0, MH_NO_ARGS, NULL }

/* Module flags. */
#define MH_MODULE_NO_FLAGS 0u
/* Its hooks must not run on two threads at once: the server refuses to load
 * it under a threaded MPM (and says to use mpm_prefork). */
#define MH_MODULE_NOT_THREAD_SAFE 0x1u
/* 1.2: its request hooks return without blocking for long (no network
 * waits, no reads of files that may be slow, no locks held long), so an
 * event MPM may run them on its event loop instead of a worker thread. A
 * hook that must block after all returns MH_WOULD_BLOCK. Without the flag
 * every hook runs on a worker thread, as under mpm_worker. */
#define MH_MODULE_NONBLOCKING 0x2u

/* Hook order, as APR's: lower runs earlier; equal orders run in load order. */
#define MH_HOOK_REALLY_FIRST (-10)
#define MH_HOOK_FIRST 0
#define MH_HOOK_MIDDLE 10
#define MH_HOOK_LAST 20
#define MH_HOOK_REALLY_LAST 30

struct mh_module {
    uint32_t magic;        /* MH_MODULE_MAGIC */
    uint16_t abi_major;    /* MH_ABI_MAJOR at build time */
    uint16_t abi_minor;    /* MH_ABI_MINOR at build time */
    uint32_t struct_size;  /* sizeof(mh_module) at build time */
    const char *source;    /* __FILE__; <IfModule mod_x.c> matches its base name */
    uint32_t flags;        /* MH_MODULE_* */
    const mh_command *commands;

    /* [master] Per-directory config for one section (`section` is its
     * path) or, with section NULL, the server-wide defaults. */
    void *(*create_dir_config)(mh_pool *pool, const char *section);
    /* [master] or [worker] Config of a nested scope: `add` overrides
     * `base`. Called only when both exist; otherwise the nearer one is used
     * as is. The core merges each combination of sections once, on the first
     * request that needs it (under a lock), so it must only allocate from
     * `pool` and read its arguments. */
    void *(*merge_dir_config)(mh_pool *pool, const void *base, const void *add);
    /* [master] This module's server-wide config. */
    void *(*create_server_config)(mh_pool *pool);

    /* [master] Called once per configuration, right after load: keep `api`
     * (it stays valid for the life of the process) and register hooks. */
    void (*register_hooks)(const mh_api *api, const mh_module *self);

    /* Non-NULL only in an MPM (see modhttpd/mpm.h). */
    const mh_mpm *mpm;

    /* ---- 1.3 ---- */
    /* [master] A <VirtualHost>'s server config over the main server's:
     * `add` (the vhost's own, from create_server_config, holding what its
     * directives set) overrides `base`. Called only when the vhost has a
     * directive of this module; a vhost without one uses the main server's
     * config object itself. Without this function a vhost that has one
     * keeps its own fresh config, nothing inherited (Apache's rule when a
     * module has no merge_server_config). Allocate from `pool` only. */
    void *(*merge_server_config)(mh_pool *pool, const void *base, const void *add);
};

/* Fills magic, ABI version, struct size and source file. */
#define MH_MODULE_HEADER                                                   \
    MH_MODULE_MAGIC, MH_ABI_MAJOR, MH_ABI_MINOR,                           \
        (uint32_t)sizeof(mh_module), __FILE__

/* Defines the one exported symbol. The descriptor grows at the end (1.3
 * added merge_server_config): a positional initializer written for an older
 * minor leaves the new members zero, which is what they mean, so GCC's and
 * clang's "missing initializer" warning is silenced from here on. */
#if defined(__GNUC__)
#define MH_DESCRIPTOR_GROWS_ _Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")
#else
#define MH_DESCRIPTOR_GROWS_
#endif
#define MH_DECLARE_MODULE(symbol) MH_DESCRIPTOR_GROWS_ MH_EXTERN_C MH_EXPORT const mh_module symbol

/* Ready-made setters for mh_command.set; `data` is the offsetof() of the
 * field in the dir config (or, with MH_WHERE_SERVER only, write your own
 * setter for cmd->server_config). */
static inline const char *mh_set_string_slot(const mh_cmd_parms *cmd, void *dir_config,
                                             int argc, const char *const *argv)
{
    (void)argc;
    *(const char **)((char *)dir_config + cmd->data) = argv[0];
    return NULL;
}

static inline const char *mh_set_flag_slot(const mh_cmd_parms *cmd, void *dir_config,
                                           int argc, const char *const *argv)
{
    (void)argc;
    *(int *)((char *)dir_config + cmd->data) = argv[0][1] == 'n';
    return NULL;
}

#ifdef __cplusplus
}
#endif

#endif
