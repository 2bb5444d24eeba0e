/*
 * mod_authz_user: "Require user name..." and "Require valid-user", as
 * Apache 2.4's. Before anyone has authenticated both answer
 * DENIED_NO_USER, which makes mod_authz_core ask for a user (check_user_id,
 * e.g. mod_auth_basic) and then ask again.
 *
 * No hooks at all, nothing that waits: MH_MODULE_NONBLOCKING.
 */
#include <string.h>

#include <modhttpd/modhttpd.h>

#include "conf_word.h"

static const mh_api *api;
static const mh_module *self_module;

static const char *user_parse(const mh_cmd_parms *cmd, const char *args, const void **parsed)
{
    (void)parsed;
    return conf_refuse_expr(api, cmd->pool, args);
}

static mh_authz_status user_check(mh_request *r, const char *args, const void *parsed)
{
    (void)parsed;
    const char *user = api->user(r);
    if (user == NULL) return MH_AUTHZ_DENIED_NO_USER;
    mh_pool *p = api->request_pool(r);
    for (const char *w = conf_getword(api, p, &args); w[0]; w = conf_getword(api, p, &args))
        if (strcmp(user, w) == 0) return MH_AUTHZ_GRANTED; /* user names are case-sensitive */
    api->log_error(self_module, MH_LOG_DEBUG, 0, NULL, r,
                   "AH01663: access to %s failed, reason: user '%s' does not meet 'require'ments for user to be "
                   "allowed access",
                   api->request_path(r), user);
    return MH_AUTHZ_DENIED;
}

static mh_authz_status valid_user_check(mh_request *r, const char *args, const void *parsed)
{
    (void)args, (void)parsed;
    return api->user(r) ? MH_AUTHZ_GRANTED : MH_AUTHZ_DENIED_NO_USER;
}

static const mh_authz_provider user_provider = {sizeof(mh_authz_provider), user_parse, user_check,
                                                MH_AUTHZ_NONBLOCKING};
static const mh_authz_provider valid_user_provider = {sizeof(mh_authz_provider), NULL, valid_user_check,
                                                      MH_AUTHZ_NONBLOCKING};

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    self_module = self;
    a->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "user", MH_AUTH_PROVIDER_VERSION, &user_provider);
    a->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "valid-user", MH_AUTH_PROVIDER_VERSION, &valid_user_provider);
}

MH_DECLARE_MODULE(authz_user_module) = {
    MH_MODULE_HEADER, MH_MODULE_NONBLOCKING, NULL, NULL, NULL, NULL, register_hooks, NULL,
};
