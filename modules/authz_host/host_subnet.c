/*
 * APR's apr_ipsubnet_create and apr_ipsubnet_test (network_io/unix/
 * sockaddr.c), which give "Require ip" its syntax: whatever APR accepts and
 * refuses, and why, is what Apache reports, so this follows it step by step.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz_host.h"

/* APR's own inet_pton4: four decimal octets; unlike glibc's, leading zeros
 * are fine ("010.1.1.1" is 10.1.1.1). */
static int inet_pton4(const char *src, uint32_t *dst)
{
    unsigned char tmp[4] = {0};
    int saw_digit = 0, octets = 0, i = 0;
    for (int ch; (ch = (unsigned char)*src++) != '\0';) {
        if (ch >= '0' && ch <= '9') {
            unsigned v = tmp[i] * 10u + (unsigned)(ch - '0');
            if (v > 255) return 0;
            tmp[i] = (unsigned char)v;
            if (!saw_digit) {
                if (++octets > 4) return 0;
                saw_digit = 1;
            }
        } else if (ch == '.' && saw_digit) {
            if (octets == 4) return 0;
            tmp[++i] = 0;
            saw_digit = 0;
        } else {
            return 0;
        }
    }
    if (octets < 4) return 0;
    memcpy(dst, tmp, 4);
    return 1;
}

/* Something that is meant to be an address, not a host name. */
static int looks_like_ip(const char *s)
{
    if (*s == '\0') return 0;
    if (strchr(s, ':')) return 1;
    while (*s == '.' || isdigit((unsigned char)*s)) ++s;
    return *s == '\0';
}

/* The legacy partial form: "10.1" or "10.1." is 10.1.0.0/16. */
static hz_status parse_network(hz_subnet *s, const char *network)
{
    char buf[sizeof "255.255.255.255"];
    if (strlen(network) >= sizeof buf) return HZ_EBADIP;
    strcpy(buf, network);
    uint32_t sub = 0, mask = 0;
    int shift = 24;
    for (char *p = buf; *p;) {
        char *t = p;
        if (!isdigit((unsigned char)*t)) return HZ_EBADIP;
        while (isdigit((unsigned char)*t)) ++t;
        if (*t == '.') *t++ = '\0';
        else if (*t) return HZ_EBADIP;
        if (shift < 0) return HZ_EBADIP;
        long octet = strtol(p, NULL, 10);
        if (octet > 255) return HZ_EBADIP;
        sub |= (uint32_t)octet << shift;
        mask |= UINT32_C(0xFF) << shift;
        p = t;
        shift -= 8;
    }
    s->sub[0] = htonl(sub);
    s->mask[0] = htonl(mask);
    s->family = AF_INET;
    return HZ_OK;
}

static hz_status parse_ip(hz_subnet *s, const char *ip, int network_allowed)
{
    struct in6_addr a6;
    if (inet_pton(AF_INET6, ip, &a6) == 1) {
        /* An IPv4 address must be written as one (APR's rule). */
        if (IN6_IS_ADDR_V4MAPPED(&a6)) return HZ_EBADIP;
        memcpy(s->sub, &a6, 16);
        s->family = AF_INET6;
        return HZ_OK;
    }
    if (inet_pton4(ip, &s->sub[0])) {
        s->family = AF_INET;
        return HZ_OK;
    }
    return network_allowed ? parse_network(s, ip) : HZ_EBADIP;
}

/* A prefix length ("24", up to 32 or 128) or a dotted IPv4 netmask. */
static hz_status parse_mask(hz_subnet *s, const char *mask)
{
    long maxbits = s->family == AF_INET6 ? 128 : 32;
    char *end;
    errno = 0;
    long bits = strtol(mask, &end, 10);
    if (*end == '\0' && errno == 0 && bits > 0 && bits <= maxbits) {
        memset(s->mask, 0, sizeof s->mask);
        for (int i = 0; bits > 0; ++i, bits -= 32) {
            uint32_t word = bits >= 32 ? UINT32_C(0xFFFFFFFF) : ~(UINT32_C(0xFFFFFFFF) >> bits);
            s->mask[i] = htonl(word);
        }
        return HZ_OK;
    }
    uint32_t m;
    if (s->family == AF_INET && inet_pton4(mask, &m)) {
        s->mask[0] = m;
        return HZ_OK;
    }
    return HZ_EBADMASK;
}

hz_status hz_subnet_create(hz_subnet *s, const char *ip, const char *mask)
{
    if (!looks_like_ip(ip)) return HZ_EINVAL;
    memset(s, 0, sizeof *s);
    memset(s->mask, 0xFF, sizeof s->mask);
    hz_status st = parse_ip(s, ip, mask == NULL);
    if (st == HZ_OK && mask) st = parse_mask(s, mask);
    if (st != HZ_OK) return st;
    for (int i = 0; i < 4; ++i) s->sub[i] &= s->mask[i]; /* bits past the mask do not count */
    return HZ_OK;
}

int hz_addr_parse(hz_addr *a, const char *text)
{
    memset(a, 0, sizeof *a);
    if (text == NULL || *text == '\0') return 0;
    if (strchr(text, ':')) {
        if (inet_pton(AF_INET6, text, a->word) != 1) return 0;
        a->family = AF_INET6;
    } else {
        if (inet_pton(AF_INET, text, a->word) != 1) return 0;
        a->family = AF_INET;
    }
    return 1;
}

static int v4_mapped(const hz_addr *a)
{
    return a->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)a->word);
}

int hz_subnet_test(const hz_subnet *s, const hz_addr *a)
{
    if (a->family == AF_INET) return s->family == AF_INET && (a->word[0] & s->mask[0]) == s->sub[0];
    if (v4_mapped(a)) return s->family == AF_INET && (a->word[3] & s->mask[0]) == s->sub[0];
    if (a->family != AF_INET6 || s->family != AF_INET6) return 0;
    for (int i = 0; i < 4; ++i)
        if ((a->word[i] & s->mask[i]) != s->sub[i]) return 0;
    return 1;
}

int hz_addr_equal(const hz_addr *a, const hz_addr *b)
{
    if (a->family == b->family)
        return a->family == AF_INET ? a->word[0] == b->word[0] : memcmp(a->word, b->word, 16) == 0;
    if (a->family == AF_INET && v4_mapped(b)) return a->word[0] == b->word[3];
    if (b->family == AF_INET && v4_mapped(a)) return b->word[0] == a->word[3];
    return 0;
}
