/*
 * mod_access_compat internals (hidden; the one exported symbol is
 * access_compat_module, in mod_access_compat.c).
 *
 *   mod_access_compat.c   descriptor and the access hooks, Satisfy
 *   access_config.c       Order, Allow from, Deny from, Satisfy
 *   access_match.c        whether a request matches an Allow or Deny list
 *
 * Addresses use mod_authz_host's hz_subnet (host_subnet.c, built in).
 */
#ifndef MOD_ACCESS_COMPAT_H
#define MOD_ACCESS_COMPAT_H

#include <modhttpd/modhttpd.h>

#include "authz_host.h"

MH_EXPORT extern const mh_module access_compat_module;
extern const mh_api *ac_api;

/* The server offers what this module calls (ABI 1.2: access phases,
 * notes, providers). An older one loads it too: its directives then
 * refuse to be read, rather than being ignored. */
static inline int ac_abi_ok(void) { return MH_API_HAS(ac_api, lookup_provider); }
#define AC_OLD_SERVER "mod_access_compat needs a server with module ABI 1.2 or later"

typedef enum ac_order { AC_DENY_THEN_ALLOW, AC_ALLOW_THEN_DENY, AC_MUTUAL_FAILURE } ac_order;
typedef enum ac_satisfy { AC_SATISFY_NOSPEC, AC_SATISFY_ALL, AC_SATISFY_ANY } ac_satisfy;

typedef enum ac_kind { AC_ALL, AC_IP, AC_HOST, AC_ENV, AC_NOT_ENV } ac_kind;

typedef struct ac_entry {
    ac_kind kind;
    const char *from;   /* host name or variable, as written */
    hz_subnet subnet;   /* AC_IP */
} ac_entry;

typedef struct ac_list {
    ac_entry *items;
    int n, cap;
} ac_list;

/* One section's lines. A section with any of them replaces the enclosing
 * one's as a whole (Apache's module has no merge). */
typedef struct ac_conf {
    int set;            /* a directive of this module appeared here */
    ac_order order;
    ac_satisfy satisfy;
    ac_list allows, denies;
    const mh_authz_provider *host; /* mod_authz_host's, for AC_HOST entries */
} ac_conf;

/* ---- access_config.c ---------------------------------------------------- */
extern const mh_command ac_commands[];
void *ac_create_config(mh_pool *p, const char *section);
void *ac_merge_config(mh_pool *p, const void *base, const void *add);

/* ---- access_match.c ----------------------------------------------------- */
/* [worker] Apache's check_dir_access: 1 when the request may pass. */
int ac_allowed(mh_request *r, const ac_conf *c);

#endif
