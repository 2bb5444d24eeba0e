/*
 * "Require host example.org .example.net" and "Require forward-dns
 * name...", as Apache's mod_authz_host. Both ask the resolver, per
 * request: they block (which is why this module is not
 * MH_MODULE_NONBLOCKING).
 *
 *   host         the client's name by double reverse lookup (the name of
 *                its address must resolve back to that address), then a
 *                domain match: "example.org" matches example.org and
 *                www.example.org, not badexample.org.
 *   forward-dns  each name is resolved and compared with the client's
 *                address: for dynamic DNS names without reverse records.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "authz_host.h"
#include "conf_word.h"

static void addr_of_sockaddr(hz_addr *a, const struct sockaddr *sa)
{
    memset(a, 0, sizeof *a);
    if (sa->sa_family == AF_INET) {
        a->family = AF_INET;
        memcpy(a->word, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        a->family = AF_INET6;
        memcpy(a->word, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    }
}

/* Whether `name` resolves to `client` (any of its addresses). 0 when it
 * does not resolve, with *gai_error set. */
static int resolves_to(const char *name, const hz_addr *client, int *gai_error)
{
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM; /* one entry per address */
    *gai_error = getaddrinfo(name, NULL, &hints, &res);
    if (*gai_error != 0) return 0;
    int match = 0;
    for (const struct addrinfo *ai = res; ai && !match; ai = ai->ai_next) {
        hz_addr a;
        addr_of_sockaddr(&a, ai->ai_addr);
        match = a.family && hz_addr_equal(&a, client);
    }
    freeaddrinfo(res);
    return match;
}

/* Apache's ap_get_remote_host(REMOTE_DOUBLE_REV): the client's host name,
 * lower-cased, or NULL when there is none or it does not resolve back. */
static char *double_reverse_name(mh_request *r, const hz_addr *client)
{
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (client->family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)(void *)&ss;
        in->sin_family = AF_INET;
        memcpy(&in->sin_addr, client->word, 4);
        len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)&ss;
        in6->sin6_family = AF_INET6;
        memcpy(&in6->sin6_addr, client->word, 16);
        len = sizeof *in6;
    }
    char host[NI_MAXHOST];
    if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, NULL, 0, NI_NAMEREQD) != 0) return NULL;
    for (char *c = host; *c; ++c) *c = (char)tolower((unsigned char)*c);
    int gai_error;
    return resolves_to(host, client, &gai_error) ? hz_api->pstrdup(hz_api->request_pool(r), host) : NULL;
}

/* Apache's in_domain: `what` is `domain` or a host within it. */
static int in_domain(const char *domain, const char *what)
{
    size_t dl = strlen(domain), wl = strlen(what);
    if (wl < dl || strcasecmp(domain, what + wl - dl) != 0) return 0;
    return wl == dl || domain[0] == '.' || what[wl - dl - 1] == '.';
}

static const char *dns_parse(const mh_cmd_parms *cmd, const char *args, const void **parsed)
{
    (void)parsed;
    return conf_refuse_expr(hz_api, cmd->pool, args);
}

static mh_authz_status host_check(mh_request *r, const char *args, const void *parsed)
{
    (void)parsed;
    mh_pool *p = hz_api->request_pool(r);
    hz_addr client;
    const char *name = hz_addr_parse(&client, hz_api->client_ip(r)) ? double_reverse_name(r, &client) : NULL;
    if (name == NULL) {
        hz_api->log_error(hz_self, MH_LOG_ERR, 0, NULL, r,
                          "AH01753: access check of '%s' to %s failed, reason: unable to get the remote host name",
                          args, hz_api->request_path(r));
        return MH_AUTHZ_DENIED;
    }
    /* '#' is no host name character: "localhost # example.com later"
     * must not let example.com in (Apache 2.4.58's rule). */
    const char *t = args, *hash = strchr(args, '#');
    if (hash) {
        if (hash == args) {
            hz_api->log_error(hz_self, MH_LOG_ERR, 0, NULL, r,
                              "AH10120: authz_host authorize: dubious empty 'Require host %s' with only comment", args);
            return MH_AUTHZ_DENIED;
        }
        hz_api->log_error(hz_self, MH_LOG_WARNING, 0, NULL, r,
                          "AH10121: authz_host authorize: ignoring comment in 'Require host %s'", args);
        t = hz_api->pstrndup(p, args, (size_t)(hash - args));
    }
    for (const char *w = conf_getword(hz_api, p, &t); w[0]; w = conf_getword(hz_api, p, &t))
        if (in_domain(w, name)) return MH_AUTHZ_GRANTED;
    return MH_AUTHZ_DENIED; /* authz_core logs the line and the result at debug */
}

static mh_authz_status forward_dns_check(mh_request *r, const char *args, const void *parsed)
{
    (void)parsed;
    mh_pool *p = hz_api->request_pool(r);
    hz_addr client;
    if (!hz_addr_parse(&client, hz_api->client_ip(r))) return MH_AUTHZ_DENIED;
    for (char *w = conf_getword(hz_api, p, &args); w[0]; w = conf_getword(hz_api, p, &args)) {
        /* A comment ends the list, even inside a word ("name#later"). */
        char *hash = strchr(w, '#');
        if (hash == w) break;
        if (hash) *hash = '\0';
        int gai_error;
        int match = resolves_to(w, &client, &gai_error);
        if (gai_error)
            hz_api->log_error(hz_self, MH_LOG_WARNING, 0, NULL, r, "AH03356: No sockaddr info for \"%s\"", w);
        else
            hz_api->log_error(hz_self, MH_LOG_DEBUG, 0, NULL, r, "AH03355: access check for %s as '%s': %s",
                              hz_api->client_ip(r), w, match ? "yes" : "no");
        if (match) return MH_AUTHZ_GRANTED;
        if (hash) break;
    }
    return MH_AUTHZ_DENIED;
}

/* DNS lookups wait: not MH_AUTHZ_NONBLOCKING. */
const mh_authz_provider hz_host_provider = {sizeof(mh_authz_provider), dns_parse, host_check, 0};
const mh_authz_provider hz_forward_dns_provider = {sizeof(mh_authz_provider), dns_parse, forward_dns_check, 0};
