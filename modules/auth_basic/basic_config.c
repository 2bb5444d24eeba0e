/* AuthBasicProvider and AuthBasicAuthoritative, merged as Apache does. */
#define _GNU_SOURCE
#include <stddef.h>

#include "auth_basic.h"

void *ab_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    ab_dir_config *conf = ab_api->pcalloc(p, sizeof *conf);
    conf->authoritative = 1;
    return conf;
}

void *ab_merge_dir_config(mh_pool *p, const void *basev, const void *addv)
{
    const ab_dir_config *base = basev, *add = addv;
    ab_dir_config *conf = ab_api->pcalloc(p, sizeof *conf);
    conf->authoritative = add->authoritative_set ? add->authoritative : base->authoritative;
    conf->authoritative_set = add->authoritative_set || base->authoritative_set;
    conf->providers = add->providers ? add->providers : base->providers;
    return conf;
}

/* Called once per name (ITERATE): each joins the end of the list. */
static const char *add_provider(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    ab_dir_config *conf = dir;
    ab_provider *np = ab_api->pcalloc(cmd->pool, sizeof *np);
    np->name = argv[0];
    /* Looked up now, as Apache: the provider's module must be loaded first. */
    np->provider = ab_api->lookup_provider(MH_AUTHN_PROVIDER_GROUP, np->name, MH_AUTH_PROVIDER_VERSION);
    if (np->provider == NULL) return ab_api->psprintf(cmd->pool, "Unknown Authn provider: %s", np->name);
    if (np->provider->struct_size < offsetof(mh_authn_provider, check_password) + sizeof np->provider->check_password ||
        np->provider->check_password == NULL)
        return ab_api->psprintf(cmd->pool, "The '%s' Authn provider doesn't support Basic Authentication", np->name);
    ab_provider **tail = &conf->providers;
    while (*tail) tail = &(*tail)->next;
    *tail = np;
    return NULL;
}

static const char *set_authoritative(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)argc;
    ab_dir_config *conf = dir;
    conf->authoritative = argv[0][1] == 'n';
    conf->authoritative_set = 1;
    return NULL;
}

const mh_command ab_commands[] = {
    {"AuthBasicProvider", add_provider, 0, MH_WHERE_DIR, MH_ITERATE,
     "specify the auth providers for a directory or location"},
    {"AuthBasicAuthoritative", set_authoritative, 0, MH_WHERE_DIR, MH_FLAG,
     "Set to 'Off' to allow access control to be passed along to lower modules if the UserID is not known to this "
     "module"},
    MH_COMMAND_END,
};
