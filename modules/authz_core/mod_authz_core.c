/*
 * mod_authz_core: Apache 2.4's Require engine. "Require [not] <provider>
 * args" lines, grouped by <RequireAll>, <RequireAny> and <RequireNone>,
 * decide who may see a directory; the providers behind the names come from
 * any module (api->lookup_provider; mod_authz_host, mod_authz_user) or from
 * here (all, env, method).
 *
 * MH_MODULE_NONBLOCKING: under an event MPM the rules are applied on the
 * loop as long as every provider they reach says it never waits
 * (MH_AUTHZ_NONBLOCKING: all, env, method, ip, local, user...); one that
 * may ("Require host" does DNS lookups) sends the request to a worker
 * thread first (MH_WOULD_BLOCK).
 */
#include "authz_core.h"

const mh_api *az_api;
const mh_module *az_self;

static void register_hooks(const mh_api *api, const mh_module *self)
{
    az_api = api;
    az_self = self;
    /* LAST, as Apache: a module that decides access its own way goes first. */
    api->hook_access_checker_ex(self, az_access_checker_ex, MH_HOOK_LAST);
    api->hook_auth_checker(self, az_auth_checker, MH_HOOK_LAST);
    az_register_builtin_providers(api, self);
}

MH_DECLARE_MODULE(authz_core_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    az_commands,
    az_create_dir_config,
    az_merge_dir_config,
    NULL,
    register_hooks,
    NULL,
};
