/*
 * mod_authz_host internals (hidden; the one exported symbol is
 * authz_host_module, in mod_authz_host.c).
 *
 *   mod_authz_host.c   descriptor, provider registration
 *   host_subnet.c      APR's apr_ipsubnet_create / apr_ipsubnet_test
 *   host_ip.c          the "ip" and "local" providers
 *   host_dns.c         the "host" and "forward-dns" providers (DNS: they block)
 */
#ifndef MOD_AUTHZ_HOST_H
#define MOD_AUTHZ_HOST_H

#include <stdint.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module authz_host_module;
extern const mh_api *hz_api;
extern const mh_module *hz_self;

/* ---- host_subnet.c ------------------------------------------------------ */
/* An address as APR keeps it: words in network byte order. */
typedef struct hz_addr {
    int family;                    /* AF_INET, AF_INET6; 0 for none */
    uint32_t word[4];              /* AF_INET: word[0] */
} hz_addr;

typedef struct hz_subnet {
    int family;
    uint32_t sub[4], mask[4];
} hz_subnet;

typedef enum hz_status {
    HZ_OK,
    HZ_EINVAL,   /* does not look like an address at all */
    HZ_EBADIP,   /* "The specified IP address is invalid." */
    HZ_EBADMASK  /* "The specified network mask is invalid." */
} hz_status;

/* "10.1", "10.0.0.0" with mask "8" or "255.0.0.0", "::1" with "128"...
 * `mask` NULL: an address, or a partial IPv4 one ("10.1" is 10.1/16). */
hz_status hz_subnet_create(hz_subnet *s, const char *ip, const char *mask);
int hz_subnet_test(const hz_subnet *s, const hz_addr *a);
/* The text inet_ntop made (api->client_ip, api->local_ip); 0 if none. */
int hz_addr_parse(hz_addr *a, const char *text);
/* APR's apr_sockaddr_equal: an IPv4-mapped IPv6 address equals the IPv4 one. */
int hz_addr_equal(const hz_addr *a, const hz_addr *b);

/* ---- host_ip.c / host_dns.c --------------------------------------------- */
/* [master] The loopback subnets "Require local" compares with. */
void hz_ip_init(void);
extern const mh_authz_provider hz_ip_provider, hz_local_provider;
extern const mh_authz_provider hz_host_provider, hz_forward_dns_provider;

#endif
