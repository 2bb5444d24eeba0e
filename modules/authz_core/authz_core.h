/*
 * mod_authz_core internals, shared by its files (hidden: the one exported
 * symbol is authz_core_module, in mod_authz_core.c).
 *
 *   mod_authz_core.c   descriptor, register_hooks
 *   authz_config.c     Require, <RequireAll|Any|None>, AuthMerging,
 *                      AuthzSendForbiddenOnFailure; dir config and merge
 *   authz_check.c      the AH01624 check of a finished tree (De Morgan)
 *   authz_eval.c       evaluating the tree for a request
 *   authz_hooks.c      access_checker_ex and auth_checker
 *   authz_builtin.c    the providers it has itself: all, env, method
 *   conf_word.c        Apache's ap_getword_conf
 *
 * The data structures are Apache's (authz_section_conf): the Require lines
 * of a directory form a tree whose inner nodes are AND / OR containers.
 */
#ifndef MOD_AUTHZ_CORE_H
#define MOD_AUTHZ_CORE_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module authz_core_module;
extern const mh_api *az_api;       /* kept by register_hooks */
extern const mh_module *az_self;   /* ditto: our descriptor as loaded */

typedef enum az_op {
    AZ_OP_UNSET = 0, /* AuthMerging not given */
    AZ_OP_OFF,       /* AuthMerging Off */
    AZ_OP_AND,
    AZ_OP_OR
} az_op;

/* Not a provider's answer: the rules reached, on an event loop, a provider
 * that may wait. */
#define AZ_WOULD_BLOCK ((mh_authz_status)100)

/* A Require line (provider set) or a container (first: its children). */
typedef struct az_section {
    const char *provider_name;
    const char *provider_args;      /* the words after the name, as written */
    const mh_authz_provider *provider;
    const void *parsed;             /* what provider->parse made of the args */
    az_op op;                       /* containers: AZ_OP_AND or AZ_OP_OR */
    int negate;                     /* "Require not", <RequireNone> */
    int is_merged;                  /* made by AuthMerging And|Or */
    struct az_section *first, *next;
    struct az_section *outer;       /* [master] while reading: the enclosing one */
} az_section;

typedef struct az_dir_config {
    az_section *section;            /* the tree; while reading, the open container */
    az_op op;                       /* AuthMerging */
    int forbidden_on_fail;          /* AuthzSendForbiddenOnFailure; -1 when unset */
    int open_containers;            /* [master] depth of <Require...> being read */
} az_dir_config;

/* ---- authz_config.c ----------------------------------------------------- */
extern const mh_command az_commands[];
void *az_create_dir_config(mh_pool *p, const char *section);
void *az_merge_dir_config(mh_pool *p, const void *base, const void *add);

/* ---- authz_check.c ------------------------------------------------------ */
/* [master] Apache's authz_core_check_section: folds negated containers
 * into their parent where De Morgan allows, and returns the first section
 * left with only negative children (AH01624), or NULL. */
const az_section *az_check_section(az_section *section);

/* ---- authz_eval.c ------------------------------------------------------- */
/* "Require not ip 10.1", "<RequireAll>", "AuthMerging And": for messages. */
const char *az_format_command(mh_pool *p, const az_section *s);
/* [worker] Apache's apply_authz_sections (without its <Limit> case:
 * there is no <Limit> here). */
mh_authz_status az_apply(mh_request *r, const az_section *s);

/* ---- authz_hooks.c ------------------------------------------------------ */
int az_access_checker_ex(mh_request *r);
int az_auth_checker(mh_request *r);

/* ---- authz_builtin.c ---------------------------------------------------- */
void az_register_builtin_providers(const mh_api *api, const mh_module *self);

#endif
