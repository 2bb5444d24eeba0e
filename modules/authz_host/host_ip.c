/*
 * "Require ip 10.1 192.168.0.0/16 ::1" and "Require local", as Apache's
 * mod_authz_host: addresses are parsed once, when the configuration is
 * read; a request only compares words.
 */
#include <string.h>

#include "authz_host.h"
#include "conf_word.h"

static const char *status_text(hz_status st)
{
    return st == HZ_EBADMASK ? "The specified network mask is invalid." : "The specified IP address is invalid.";
}

/* Each word of the line as a subnet; the list ends with family 0. */
static const char *ip_parse(const mh_cmd_parms *cmd, const char *args, const void **parsed)
{
    mh_pool *p = cmd->pool;
    size_t count = 0;
    for (const char *t = args; conf_getword(hz_api, p, &t)[0];) ++count;
    if (count == 0) return "'require ip' requires an argument";

    hz_subnet *subnets = hz_api->pcalloc(p, sizeof *subnets * (count + 1));
    *parsed = subnets;
    const char *t = args;
    for (size_t i = 0; i < count; ++i) {
        const char *w = conf_getword(hz_api, p, &t);
        char *addr = hz_api->pstrdup(p, w);
        char *mask = strchr(addr, '/');
        if (mask) *mask++ = '\0';
        hz_status st = hz_subnet_create(&subnets[i], addr, mask);
        if (st == HZ_EINVAL) return hz_api->psprintf(p, "ip address '%s' appears to be invalid", w);
        if (st != HZ_OK) return hz_api->psprintf(p, "ip address '%s' appears to be invalid: %s", w, status_text(st));
    }
    return NULL;
}

static mh_authz_status ip_check(mh_request *r, const char *args, const void *parsed)
{
    (void)args;
    hz_addr client;
    if (!hz_addr_parse(&client, hz_api->client_ip(r))) return MH_AUTHZ_DENIED;
    for (const hz_subnet *s = parsed; s->family; ++s)
        if (hz_subnet_test(s, &client)) return MH_AUTHZ_GRANTED;
    return MH_AUTHZ_DENIED; /* authz_core logs the line and the result at debug */
}

static hz_subnet loopback_v4, loopback_v6;

void hz_ip_init(void)
{
    hz_subnet_create(&loopback_v4, "127.0.0.0", "8");
    hz_subnet_create(&loopback_v6, "::1", NULL);
}

/* The client is this host: a loopback address, or the very address it
 * connected to (Apache's apr_sockaddr_equal on local_addr). Any
 * 127.0.0.0/8 address counts, 127.0.0.2 too, as in Apache. */
static mh_authz_status local_check(mh_request *r, const char *args, const void *parsed)
{
    (void)args, (void)parsed;
    hz_addr client, local;
    if (!hz_addr_parse(&client, hz_api->client_ip(r))) return MH_AUTHZ_DENIED;
    if (hz_subnet_test(&loopback_v4, &client) || hz_subnet_test(&loopback_v6, &client)) return MH_AUTHZ_GRANTED;
    if (hz_addr_parse(&local, hz_api->local_ip(r)) && hz_addr_equal(&client, &local)) return MH_AUTHZ_GRANTED;
    return MH_AUTHZ_DENIED;
}

const mh_authz_provider hz_ip_provider = {sizeof(mh_authz_provider), ip_parse, ip_check, MH_AUTHZ_NONBLOCKING};
/* No parse: Apache ignores words after "Require local". */
const mh_authz_provider hz_local_provider = {sizeof(mh_authz_provider), NULL, local_check, MH_AUTHZ_NONBLOCKING};
