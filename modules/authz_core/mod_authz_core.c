/*
 * mod_authz_core: Apache 2.4's Require engine. "Require [not] <provider>
 * args" lines, grouped by <RequireAll>, <RequireAny> and <RequireNone>,
 * decide who may see a directory; the providers behind the names come from
 * any module (api->lookup_provider; mod_authz_host, mod_authz_user) or from
 * here (all, env, method).
 *
 * Not MH_MODULE_NONBLOCKING: its hooks run the providers, and some block
 * ("Require host" does DNS lookups) with no way to say so (mh_authz_status
 * has no "would block").
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
    MH_MODULE_NO_FLAGS,
    az_commands,
    az_create_dir_config,
    az_merge_dir_config,
    NULL,
    register_hooks,
    NULL,
};
