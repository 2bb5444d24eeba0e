/*
 * The authz providers of mod_authz_core itself, as Apache's: "all granted",
 * "all denied", "env VAR..." and "method GET POST...". They are registered
 * like anyone's, so a module may look them up or replace them.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "authz_core.h"
#include "conf_word.h"

/* ---- all ---------------------------------------------------------------- */
static const char *all_parse(const mh_cmd_parms *cmd, const char *args, const void **parsed)
{
    (void)cmd;
    if (strcasecmp(args, "granted") == 0) *parsed = (const void *)1;
    else if (strcasecmp(args, "denied") == 0) *parsed = NULL;
    else return "Argument for 'Require all' must be 'granted' or 'denied'";
    return NULL;
}

static mh_authz_status all_check(mh_request *r, const char *args, const void *parsed)
{
    (void)r, (void)args;
    return parsed ? MH_AUTHZ_GRANTED : MH_AUTHZ_DENIED;
}

/* ---- env ---------------------------------------------------------------- */
/* Granted when any of the variables is set (SetEnvIf, a redirect...). */
static mh_authz_status env_check(mh_request *r, const char *args, const void *parsed)
{
    (void)parsed;
    mh_pool *p = az_api->request_pool(r);
    const mh_table *env = az_api->subprocess_env(r);
    for (const char *w = conf_getword(az_api, p, &args); w[0]; w = conf_getword(az_api, p, &args))
        if (az_api->table_get(env, w)) return MH_AUTHZ_GRANTED;
    return MH_AUTHZ_DENIED;
}

/* ---- method ------------------------------------------------------------- */
/* Apache's built-in methods (ap_method_number_of), in its M_* order. */
static const char *const kMethods[] = {
    "GET", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "PROPPATCH",
    "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN",
    "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "MERGE",
};
#define N_METHODS ((int)(sizeof kMethods / sizeof kMethods[0]))

/* Its number, or -1. HEAD is GET to Apache (r->method_number). */
static int method_number(const char *m)
{
    if (strcmp(m, "HEAD") == 0) return 0;
    for (int i = 0; i < N_METHODS; ++i)
        if (strcmp(m, kMethods[i]) == 0) return i;
    return -1;
}

static const char *method_parse(const mh_cmd_parms *cmd, const char *args, const void **parsed)
{
    uint64_t *allowed = az_api->pcalloc(cmd->pool, sizeof *allowed);
    for (const char *w = conf_getword(az_api, cmd->pool, &args); w[0]; w = conf_getword(az_api, cmd->pool, &args)) {
        int m = method_number(w);
        if (m < 0) return az_api->psprintf(cmd->pool, "Invalid Method '%s'", w);
        *allowed |= UINT64_C(1) << m;
    }
    *parsed = allowed;
    return NULL;
}

static mh_authz_status method_check(mh_request *r, const char *args, const void *parsed)
{
    (void)args;
    int m = method_number(az_api->request_method(r));
    return m >= 0 && (*(const uint64_t *)parsed & (UINT64_C(1) << m)) ? MH_AUTHZ_GRANTED : MH_AUTHZ_DENIED;
}

static const mh_authz_provider all_provider = {sizeof(mh_authz_provider), all_parse, all_check,
                                               MH_AUTHZ_NONBLOCKING};
static const mh_authz_provider env_provider = {sizeof(mh_authz_provider), NULL, env_check, MH_AUTHZ_NONBLOCKING};
static const mh_authz_provider method_provider = {sizeof(mh_authz_provider), method_parse, method_check,
                                                  MH_AUTHZ_NONBLOCKING};

void az_register_builtin_providers(const mh_api *api, const mh_module *self)
{
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "all", MH_AUTH_PROVIDER_VERSION, &all_provider);
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "env", MH_AUTH_PROVIDER_VERSION, &env_provider);
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "method", MH_AUTH_PROVIDER_VERSION, &method_provider);
}
