/*
 * mod_auth_basic internals (hidden; the one exported symbol is
 * auth_basic_module, in mod_auth_basic.c).
 *
 *   mod_auth_basic.c   descriptor, the check_user_id hook, the challenge
 *   basic_config.c     AuthBasicProvider, AuthBasicAuthoritative
 *   basic_header.c     the Authorization header: "Basic base64(user:pass)"
 */
#ifndef MOD_AUTH_BASIC_H
#define MOD_AUTH_BASIC_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module auth_basic_module;
extern const mh_api *ab_api;
extern const mh_module *ab_self;

/* ---- basic_config.c ----------------------------------------------------- */
typedef struct ab_provider {
    const char *name;
    const mh_authn_provider *provider;
    struct ab_provider *next;
} ab_provider;

typedef struct ab_dir_config {
    ab_provider *providers;   /* AuthBasicProvider; NULL: "file" */
    int authoritative;        /* AuthBasicAuthoritative, On by default */
    int authoritative_set;
} ab_dir_config;

extern const mh_command ab_commands[];
void *ab_create_dir_config(mh_pool *p, const char *section);
void *ab_merge_dir_config(mh_pool *p, const void *base, const void *add);

/* ---- basic_header.c ----------------------------------------------------- */
/* [worker] Apache's get_basic_auth: the user and password sent, or an HTTP
 * status (401, the challenge set) when there are none or not Basic ones. */
int ab_credentials(mh_request *r, const char **user, const char **password);
/* Sets WWW-Authenticate: Basic realm="<AuthName>" in err_headers_out. */
void ab_note_failure(mh_request *r);

#endif
