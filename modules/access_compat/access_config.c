/*
 * Order, Allow from, Deny from and Satisfy, parsed as Apache 2.4's
 * mod_access_compat, with its messages.
 */
#include <string.h>
#include <strings.h>

#include "access_compat.h"

static const char *order(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)argc;
    if (!ac_abi_ok()) return AC_OLD_SERVER;
    ac_conf *c = dir;
    if (strcasecmp(argv[0], "allow,deny") == 0) c->order = AC_ALLOW_THEN_DENY;
    else if (strcasecmp(argv[0], "deny,allow") == 0) c->order = AC_DENY_THEN_ALLOW;
    else if (strcasecmp(argv[0], "mutual-failure") == 0) c->order = AC_MUTUAL_FAILURE;
    else return "unknown order";
    c->set = 1;
    return NULL;
}

static const char *satisfy(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)argc;
    if (!ac_abi_ok()) return AC_OLD_SERVER;
    ac_conf *c = dir;
    if (strcasecmp(argv[0], "all") == 0) c->satisfy = AC_SATISFY_ALL;
    else if (strcasecmp(argv[0], "any") == 0) c->satisfy = AC_SATISFY_ANY;
    else return "Satisfy either 'any' or 'all'.";
    c->set = 1;
    return NULL;
}

static ac_entry *new_entry(mh_pool *p, ac_list *l)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        ac_entry *grown = ac_api->pcalloc(p, sizeof *grown * (size_t)cap);
        if (l->n) memcpy(grown, l->items, sizeof *grown * (size_t)l->n);
        l->items = grown;
        l->cap = cap;
    }
    return &l->items[l->n++];
}

/* Apache's allow_cmd: "from" then, one at a time, env=[!]VAR, all, an
 * address (full, partial, /bits or /netmask) or else a host name. */
static const char *allow_deny(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    ac_conf *c = dir;
    mh_pool *p = cmd->pool;
    if (!ac_abi_ok()) return AC_OLD_SERVER;
    if (strcasecmp(argv[0], "from") != 0) return "allow and deny must be followed by 'from'";
    const char *where = argv[1];
    ac_entry *e = new_entry(p, cmd->data ? &c->denies : &c->allows);
    c->set = 1;
    e->from = where;
    if (strncasecmp(where, "env=!", 5) == 0) {
        e->kind = AC_NOT_ENV;
        e->from = where + 5;
        return NULL;
    }
    if (strncasecmp(where, "env=", 4) == 0) {
        e->kind = AC_ENV;
        e->from = where + 4;
        return NULL;
    }
    if (strcasecmp(where, "all") == 0) {
        e->kind = AC_ALL;
        return NULL;
    }
    char *addr = ac_api->pstrdup(p, where);
    char *mask = strchr(addr, '/');
    if (mask) *mask++ = '\0';
    hz_status st = hz_subnet_create(&e->subnet, addr, mask);
    if (st == HZ_OK) {
        e->kind = AC_IP;
        return NULL;
    }
    if (st == HZ_EBADIP) return "The specified IP address is invalid.";
    if (st == HZ_EBADMASK) return "The specified network mask is invalid.";
    if (mask) return "An IP address was expected";
    e->kind = AC_HOST;
    if (c->host == NULL)
        c->host = ac_api->lookup_provider(MH_AUTHZ_PROVIDER_GROUP, "host", MH_AUTH_PROVIDER_VERSION);
    if (c->host == NULL || c->host->struct_size < sizeof *c->host || c->host->check == NULL)
        return ac_api->psprintf(p, "%s from %s: host names are matched by mod_authz_host, which is not loaded",
                                cmd->directive, where);
    return NULL;
}

#define DENY 1u

const mh_command ac_commands[] = {
    {"order", order, 0, MH_WHERE_DIR, MH_TAKE1, "'allow,deny', 'deny,allow', or 'mutual-failure'"},
    {"allow", allow_deny, 0, MH_WHERE_DIR, MH_ITERATE2, "'from' followed by hostnames or IP-address wildcards"},
    {"deny", allow_deny, DENY, MH_WHERE_DIR, MH_ITERATE2, "'from' followed by hostnames or IP-address wildcards"},
    {"Satisfy", satisfy, 0, MH_WHERE_DIR, MH_TAKE1, "access policy if both allow and require used ('all' or 'any')"},
    MH_COMMAND_END,
};

void *ac_create_config(mh_pool *p, const char *section)
{
    (void)section;
    ac_conf *c = ac_api->pcalloc(p, sizeof *c);
    c->order = AC_DENY_THEN_ALLOW;
    return c;
}

/* Apache creates a module's section config only when one of its
 * directives is there, and has no merge: the nearer such section wins. */
void *ac_merge_config(mh_pool *p, const void *base, const void *add)
{
    (void)p;
    const ac_conf *a = add;
    return (void *)(a->set ? add : base);
}
