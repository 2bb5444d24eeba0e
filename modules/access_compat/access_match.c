/*
 * Apache 2.4's mod_access_compat find_allowdeny and check_dir_access.
 */
#include "access_compat.h"

/* Whether any entry of `l` matches the request. */
static int find(mh_request *r, const ac_conf *c, const ac_list *l)
{
    hz_addr client;
    int have_client = -1; /* parsed on first use */
    mh_table *env = ac_api->subprocess_env(r);
    for (int i = 0; i < l->n; ++i) {
        const ac_entry *e = &l->items[i];
        switch (e->kind) {
        case AC_ALL:
            return 1;
        case AC_ENV:
            if (ac_api->table_get(env, e->from)) return 1;
            break;
        case AC_NOT_ENV:
            if (ac_api->table_get(env, e->from) == NULL) return 1;
            break;
        case AC_IP:
            if (have_client < 0) have_client = hz_addr_parse(&client, ac_api->client_ip(r));
            if (have_client && hz_subnet_test(&e->subnet, &client)) return 1;
            break;
        case AC_HOST:
            /* Double reverse lookup and domain match, as Apache's T_HOST. */
            if (c->host->check(r, e->from, NULL) == MH_AUTHZ_GRANTED) return 1;
            break;
        }
    }
    return 0;
}

int ac_allowed(mh_request *r, const ac_conf *c)
{
    switch (c->order) {
    case AC_ALLOW_THEN_DENY: {
        int ok = find(r, c, &c->allows);
        if (find(r, c, &c->denies)) ok = 0;
        return ok;
    }
    case AC_MUTUAL_FAILURE:
        return find(r, c, &c->allows) && !find(r, c, &c->denies);
    case AC_DENY_THEN_ALLOW:
    default: {
        int ok = !find(r, c, &c->denies);
        if (find(r, c, &c->allows)) ok = 1;
        return ok;
    }
    }
}
