/*
 * modhttpd module ABI (1.2): authentication and authorization providers.
 *
 * As in Apache 2.4, the modules that run the auth phases find the ones that
 * know users and rules by name, through api->lookup_provider:
 *
 *   mod_auth_basic  asks an "authn" provider named by AuthBasicProvider
 *                   ("file": mod_authn_file) whether a password is right;
 *   mod_authz_core  runs each "Require <name> ..." line through the "authz"
 *                   provider <name> ("all", "env": itself; "ip", "host",
 *                   "local": mod_authz_host; "user", "valid-user":
 *                   mod_authz_user).
 *
 * A third-party module adds a user store or a Require type by registering
 * one of these structs from register_hooks:
 *
 *     api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "team",
 *                            MH_AUTH_PROVIDER_VERSION, &team_provider);
 */
#ifndef MODHTTPD_AUTH_H
#define MODHTTPD_AUTH_H

#include <stdint.h>

#include "modhttpd/module.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MH_AUTHN_PROVIDER_GROUP "authn"
#define MH_AUTHZ_PROVIDER_GROUP "authz"
#define MH_AUTH_PROVIDER_VERSION "0"

typedef enum mh_authn_status {
    MH_AUTHN_DENIED = 0,         /* the user exists; the password is wrong */
    MH_AUTHN_GRANTED = 1,        /* right password */
    MH_AUTHN_USER_NOT_FOUND = 2, /* not this provider's user: the next one may know it */
    MH_AUTHN_GENERAL_ERROR = 3   /* the store could not be read (logged): 500 */
} mh_authn_status;

typedef struct mh_authn_provider {
    uint32_t struct_size;
    /* [worker] */
    mh_authn_status (*check_password)(mh_request *r, const char *user, const char *password);
} mh_authn_provider;

typedef enum mh_authz_status {
    MH_AUTHZ_DENIED = 0,
    MH_AUTHZ_GRANTED = 1,
    MH_AUTHZ_NEUTRAL = 2,         /* no opinion: the line does not count */
    MH_AUTHZ_GENERAL_ERROR = 3,   /* logged: 500 */
    MH_AUTHZ_DENIED_NO_USER = 4   /* denied unless a user authenticates: ask for one */
} mh_authz_status;

typedef struct mh_authz_provider {
    uint32_t struct_size;
    /* [master] At configuration time, the words after "Require <name>":
     * NULL, or an error message (file and line are added). `*parsed` is
     * handed to check(). May be NULL (nothing to parse). */
    const char *(*parse)(const mh_cmd_parms *cmd, const char *args, const void **parsed);
    /* [worker] Whether the request (and api->user, when there is one)
     * meets the line. */
    mh_authz_status (*check)(mh_request *r, const char *args, const void *parsed);
    /* MH_AUTHZ_NONBLOCKING when check() never waits (no DNS, no files):
     * under an event MPM it may then run on the loop; without it the
     * request moves to a worker thread first. */
    unsigned flags;
} mh_authz_provider;

#define MH_AUTHZ_NONBLOCKING 0x1u

#ifdef __cplusplus
}
#endif

#endif
