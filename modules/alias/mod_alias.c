/*
 * mod_alias: Apache 2.4's Alias, AliasMatch, ScriptAlias, ScriptAliasMatch,
 * Redirect, RedirectMatch, RedirectTemp and RedirectPermanent.
 *
 * translate_name tries the server-wide redirects, then the aliases, each
 * list in configuration order; the core maps onto DocumentRoot only when
 * both decline. The Redirect* lines of <Directory> and <Location> are known
 * only once the request is mapped, so, as in Apache, a fixup tries them.
 * Nothing here blocks: the hooks may run on an event loop.
 */
#include "alias.h"

const mh_api *al_api;

/* [worker] */
static int translate(mh_request *r)
{
    const al_server_config *sc = al_api->server_config(al_api->request_server(r), &alias_module);
    if (sc == NULL) return MH_DECLINED;
    char *target;
    const al_rule *rule = al_first_match(r, sc->redirects, 1, &target);
    if (rule) return al_redirect(r, target, rule->status);
    if (al_first_match(r, sc->aliases, 0, &target)) {
        al_api->set_filename(r, target);
        return MH_OK;
    }
    return MH_DECLINED;
}

/* [worker] */
static int fixup_redirect(mh_request *r)
{
    const al_dir_config *d = al_api->dir_config(r, &alias_module);
    if (d == NULL) return MH_DECLINED;
    if (d->whole_set) {
        mh_pool *p = al_api->request_pool(r);
        return al_redirect(r, d->whole_url ? al_escape_url(p, d->whole_url) : "", d->whole_status);
    }
    char *target;
    const al_rule *rule = al_first_match(r, d->redirects, 1, &target);
    return rule ? al_redirect(r, target, rule->status) : MH_DECLINED;
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    al_api = api;
    /* Apache's order: after mod_rewrite (FIRST), before the core's map. */
    api->hook_translate_name(self, translate, MH_HOOK_MIDDLE);
    api->hook_fixups(self, fixup_redirect, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(alias_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    al_commands,
    al_create_dir_config,
    al_merge_dir_config,
    al_create_server_config,
    register_hooks,
    NULL, /* not an MPM */
    al_merge_server_config,
};
