/*
 * mod_access_compat: Apache 2.2's host-based access control (Order, Allow,
 * Deny, Satisfy) with Apache 2.4's mod_access_compat semantics.
 *
 * The check runs as an access_checker. Under Satisfy All (the default) a
 * refusal is a 403 there. Under Satisfy Any the result waits for the
 * access_checker_ex phase, as Apache's core does it: an allowed client
 * passes without authentication (the first hook below grants before
 * mod_authz_core is asked); a refused one goes on to mod_authz_core and,
 * when it asks for a user, to authentication. A refused client with
 * nothing else to let it in (no AuthType) gets the 403 from the last hook.
 */
#include "access_compat.h"

const mh_api *ac_api;

/* What the access_checker found under Satisfy Any, for access_checker_ex. */
static const char *const any_note = "access_compat-satisfy-any";

static int refuse(mh_request *r)
{
    const char *file = ac_api->filename(r);
    ac_api->log_error(&access_compat_module, MH_LOG_ERR, 0, NULL, r,
                      "AH01797: client denied by server configuration: %s%s", file ? "" : "uri ",
                      file ? file : ac_api->request_path(r));
    return 403;
}

static int access_checker(mh_request *r)
{
    const ac_conf *c = ac_api->dir_config(r, &access_compat_module);
    if (c == NULL || !c->set) return MH_DECLINED;
    int allowed = ac_allowed(r, c);
    if (c->satisfy == AC_SATISFY_ANY) {
        ac_api->table_set(ac_api->notes(r), any_note, allowed ? "granted" : "denied");
        return MH_DECLINED;
    }
    return allowed ? MH_DECLINED : refuse(r);
}

static const char *any_result(mh_request *r) { return ac_api->table_get(ac_api->notes(r), any_note); }

/* First of access_checker_ex: Satisfy Any and an allowed client. */
static int grant_any(mh_request *r)
{
    const char *result = any_result(r);
    if (result && result[0] == 'g') {
        ac_api->log_error(&access_compat_module, MH_LOG_DEBUG, 0, NULL, r,
                          "request authorized without authentication by access_checker hook and 'Satisfy any': %s",
                          ac_api->request_path(r));
        return MH_OK;
    }
    return MH_DECLINED;
}

/* Last of access_checker_ex: every other hook declined. */
static int refuse_any(mh_request *r)
{
    const char *result = any_result(r);
    if (result && result[0] == 'd') return ac_api->auth_type(r) ? MH_DECLINED : refuse(r);
    /* Without mod_authz_core (its "all" provider tells) this hook must not
     * turn the core's "no authorization module: allowed" into
     * "authenticate". */
    int authz_core = ac_api->lookup_provider(MH_AUTHZ_PROVIDER_GROUP, "all", MH_AUTH_PROVIDER_VERSION) != NULL;
    return authz_core ? MH_DECLINED : MH_OK;
}

static void register_hooks(const mh_api *api, const mh_module *self)
{
    ac_api = api;
    if (!ac_abi_ok()) return; /* the directives say why */
    api->hook_access_checker(self, access_checker, MH_HOOK_MIDDLE);
    api->hook_access_checker_ex(self, grant_any, MH_HOOK_REALLY_FIRST);
    api->hook_access_checker_ex(self, refuse_any, MH_HOOK_REALLY_LAST);
}

/* Not MH_MODULE_NONBLOCKING: "Allow from host" waits for DNS. */
MH_DECLARE_MODULE(access_compat_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    ac_commands,
    ac_create_config,
    ac_merge_config,
    NULL,
    register_hooks,
    NULL,
};
