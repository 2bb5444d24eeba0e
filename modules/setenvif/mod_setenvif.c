/*
 * mod_setenvif: SetEnvIf, SetEnvIfNoCase, BrowserMatch and
 * BrowserMatchNoCase, as Apache 2.4's mod_setenvif. The variables go into
 * the request's subprocess_env, where Header env=, CustomLog %{VAR}e and
 * other modules see them.
 *
 * As in Apache, server-wide entries run in post_read_request (before any
 * mapping, so early enough for everything after), and the entries of
 * <Directory> and <Location> sections in header_parser, once the request is
 * mapped, outer sections first.
 */
#include "setenvif.h"

const mh_api *se_api;

static int post_read_request(mh_request *r)
{
    const se_conf *c = se_api->server_config(se_api->request_server(r), &setenvif_module);
    if (c && c->entries.n) se_match(r, &c->entries);
    return MH_DECLINED;
}

static int header_parser(mh_request *r)
{
    const se_conf *c = se_api->dir_config(r, &setenvif_module);
    if (c && c->entries.n) se_match(r, &c->entries);
    return MH_DECLINED;
}

static void register_hooks(const mh_api *api, const mh_module *self)
{
    se_api = api;
    if (!se_abi_ok()) return; /* the directives say why */
    api->hook_post_read_request(self, post_read_request, MH_HOOK_MIDDLE);
    api->hook_header_parser(self, header_parser, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(setenvif_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    se_commands,
    se_create_config,
    se_merge_config,
    se_create_server_config,
    register_hooks,
    NULL,
};
