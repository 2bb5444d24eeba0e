/*
 * Validators and conditional requests (RFC 9110 section 13).
 *
 * The ETag is Apache 2.4's default (FileETag MTime Size): the size and the
 * modification time in microseconds, both in hex. Unlike Apache, a file
 * changed within the last second still gets a strong tag: the time is
 * kept to the microsecond, so a second change in that second shows.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "static.h"

struct collect {
    mh_pool *pool;
    st_cond *c;
};

/* A list header (1#element) may come in several lines: they join with ",". */
static const char *join(mh_pool *p, const char *old, const char *value)
{
    return old ? st_api->psprintf(p, "%s, %s", old, value) : value;
}

static void set_once(const char **slot, int *repeated, const char *value)
{
    if (*slot) *repeated = 1;
    *slot = value;
}

static int collect_header(void *data, const char *name, const char *value)
{
    struct collect *k = data;
    st_cond *c = k->c;
    if (strcasecmp(name, "Range") == 0) {
        set_once(&c->range, &c->range_repeated, value);
    } else if (strncasecmp(name, "If-", 3) == 0) {
        const char *n = name + 3;
        if (strcasecmp(n, "Match") == 0) c->if_match = join(k->pool, c->if_match, value);
        else if (strcasecmp(n, "None-Match") == 0) c->if_none_match = join(k->pool, c->if_none_match, value);
        else if (strcasecmp(n, "Modified-Since") == 0) set_once(&c->if_modified_since, &c->ims_repeated, value);
        else if (strcasecmp(n, "Unmodified-Since") == 0) set_once(&c->if_unmodified_since, &c->ius_repeated, value);
        else if (strcasecmp(n, "Range") == 0) set_once(&c->if_range, &c->if_range_repeated, value);
    }
    return 0;
}

void st_read_conditions(const mh_request *r, st_cond *c)
{
    memset(c, 0, sizeof *c);
    struct collect k = {st_api->request_pool(r), c};
    st_api->headers_in_each(r, collect_header, &k);
}

/* Lower-case hex of v at p, without leading zeros; returns the end. */
static char *put_hex(char *p, unsigned long long v)
{
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

void st_make_validators(const struct stat *st, st_validators *v)
{
    unsigned long long mtime_us =
        (unsigned long long)st->st_mtim.tv_sec * 1000000u + (unsigned long long)st->st_mtim.tv_nsec / 1000u;
    /* Apache's format, "size-mtime" in hex; by hand, as snprintf cost more
     * than the rest of this function on a small file. */
    char *p = v->etag;
    *p++ = '"';
    p = put_hex(p, (unsigned long long)st->st_size);
    *p++ = '-';
    p = put_hex(p, mtime_us);
    *p++ = '"';
    *p = '\0';
    v->now = (int64_t)time(NULL);
    /* Apache's ap_rationalize_mtime: a date in the future is not believed. */
    v->last_modified = st->st_mtim.tv_sec < v->now ? (int64_t)st->st_mtim.tv_sec : v->now;
}

/* Does the list `h` ("*" or 1#entity-tag) hold `etag`? The weak comparison
 * ignores W/; the strong one never matches a weak tag. A malformed list
 * matches nothing. */
static int etag_list_matches(const char *h, const char *etag, int strong)
{
    size_t n = strlen(etag);
    for (;;) {
        while (*h == ' ' || *h == '\t' || *h == ',') h++;
        if (*h == '\0') return 0;
        if (*h == '*') return 1;
        int weak = h[0] == 'W' && h[1] == '/';
        if (weak) h += 2;
        if (*h != '"') return 0;
        const char *end = strchr(h + 1, '"');
        if (end == NULL) return 0;
        if (!(strong && weak) && (size_t)(end + 1 - h) == n && memcmp(h, etag, n) == 0) return 1;
        h = end + 1;
    }
}

int st_preconditions(const st_cond *c, const st_validators *v)
{
    /* 1-2: the client changes what it saw; it must be unchanged. */
    if (c->if_match) {
        if (!etag_list_matches(c->if_match, v->etag, 1)) return 412;
    } else if (c->if_unmodified_since && !c->ius_repeated) {
        int64_t t = st_api->parse_http_date(c->if_unmodified_since);
        if (t >= 0 && v->last_modified > t) return 412;
    }
    /* 3-4: the client's copy is current. Only GET and HEAD get here. */
    if (c->if_none_match) {
        if (etag_list_matches(c->if_none_match, v->etag, 0)) return 304;
    } else if (c->if_modified_since && !c->ims_repeated) {
        int64_t t = st_api->parse_http_date(c->if_modified_since);
        /* A date later than now is invalid (RFC 9110 13.1.3). */
        if (t >= 0 && t <= v->now && v->last_modified <= t) return 304;
    }
    return 0;
}

int st_if_range_holds(const st_cond *c, const st_validators *v)
{
    if (c->if_range == NULL) return 1;
    if (c->if_range_repeated) return 0;
    const char *h = c->if_range;
    while (*h == ' ' || *h == '\t') h++;
    size_t n = strlen(h);
    while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t')) n--;
    if (h[0] == '"' || (h[0] == 'W' && h[1] == '/'))
        return n == strlen(v->etag) && memcmp(h, v->etag, n) == 0; /* strong: W/ never matches */
    /* A date holds only if it is exactly Last-Modified, and only if that is
     * a strong validator: at least a second old (13.1.5 and 8.8.2.2). */
    int64_t t = st_api->parse_http_date(c->if_range);
    return t >= 0 && t == v->last_modified && v->last_modified < v->now;
}
