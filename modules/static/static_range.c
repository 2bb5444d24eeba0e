/*
 * Range requests (RFC 9110 section 14): "bytes=a-b", "a-", "-n", lists of
 * them. Ranges are sorted and those that overlap or touch are merged (RFC
 * 9110 14.2 allows it), so a part never repeats bytes and many ranges over
 * the same bytes cost nothing. More range-specs than MaxRanges (Apache's
 * 200) get the whole file, as in Apache. Each part goes out with
 * api->sendfile, so the core sends large ones without a user-space copy.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "static.h"

typedef struct span {
    int64_t first, last; /* inclusive */
} span;

/* Past 2^58 a number stops growing: already more than any file. */
static int64_t read_number(const char **s)
{
    int64_t v = 0;
    for (; **s >= '0' && **s <= '9'; (*s)++)
        if (v < ((int64_t)1 << 58)) v = v * 10 + (**s - '0');
    return v;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Keeps the satisfiable ranges of `h`, clamped to `size`, in `out`; counts
 * every range-spec in *specs. Returns how many were kept, or -1 when `h`
 * is not a valid bytes range-set: then Range is ignored. */
static int parse_ranges(const char *h, int64_t size, span *out, int *specs)
{
    if (strncasecmp(h, "bytes=", 6) != 0) return -1;
    const char *s = h + 6;
    int kept = 0;
    *specs = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',') s++; /* empty list elements are allowed */
        if (*s == '\0') break;
        int64_t first = -1, last = -1;
        if (is_digit(*s)) first = read_number(&s);
        if (*s++ != '-') return -1;
        if (is_digit(*s)) last = read_number(&s);
        while (*s == ' ' || *s == '\t') s++;
        if ((*s != ',' && *s != '\0') || (first < 0 && last < 0) || (first >= 0 && last >= 0 && last < first))
            return -1;
        ++*specs;
        if (first < 0) { /* suffix: the last `last` bytes */
            if (last == 0 || size == 0) continue;
            first = last >= size ? 0 : size - last;
            last = size - 1;
        } else {
            if (first >= size) continue;
            if (last < 0 || last >= size) last = size - 1;
        }
        out[kept].first = first;
        out[kept].last = last;
        kept++;
    }
    return *specs ? kept : -1;
}

static int by_first(const void *a, const void *b)
{
    int64_t x = ((const span *)a)->first, y = ((const span *)b)->first;
    return (x > y) - (x < y);
}

static int merge_ranges(span *s, int n)
{
    qsort(s, (size_t)n, sizeof *s, by_first);
    int m = 0;
    for (int i = 1; i < n; i++) {
        if (s[i].first <= s[m].last + 1) {
            if (s[i].last > s[m].last) s[m].last = s[i].last;
        } else {
            s[++m] = s[i];
        }
    }
    return m + 1;
}

static void make_boundary(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[8];
    if (getrandom(b, sizeof b, GRND_NONBLOCK) != (ssize_t)sizeof b) {
        /* No entropy yet: unique enough, since a body part would have to
         * contain this exact line to confuse a client. */
        uint64_t x = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)b;
        memcpy(b, &x, sizeof b);
    }
    for (int i = 0; i < 8; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[16] = '\0';
}

static int send_one(mh_request *r, int fd, int64_t size, const char *type, span s)
{
    mh_pool *p = st_api->request_pool(r);
    st_api->set_status(r, 206);
    st_api->header_out_set(r, "Content-Range", st_api->psprintf(p, "bytes %lld-%lld/%lld", (long long)s.first,
                                                                 (long long)s.last, (long long)size));
    if (type) st_api->set_content_type(r, type);
    st_api->set_content_length(r, s.last - s.first + 1);
    if (!st_api->header_only(r)) st_api->sendfile(r, fd, s.first, s.last - s.first + 1);
    return MH_OK;
}

/* multipart/byteranges (RFC 9110 14.6), its length counted beforehand so
 * that it needs no chunked encoding. */
static int send_parts(mh_request *r, int fd, int64_t size, const char *type, const span *s, int n)
{
    mh_pool *p = st_api->request_pool(r);
    char boundary[17];
    make_boundary(boundary);
    char **heads = st_api->palloc(p, (size_t)n * sizeof *heads);
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        heads[i] = st_api->psprintf(p, "\r\n--%s\r\n%s%s%sContent-Range: bytes %lld-%lld/%lld\r\n\r\n", boundary,
                                    type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "",
                                    (long long)s[i].first, (long long)s[i].last, (long long)size);
        total += (int64_t)strlen(heads[i]) + s[i].last - s[i].first + 1;
    }
    const char *tail = st_api->psprintf(p, "\r\n--%s--\r\n", boundary);
    total += (int64_t)strlen(tail);

    st_api->set_status(r, 206);
    st_api->set_content_type(r, st_api->psprintf(p, "multipart/byteranges; boundary=%s", boundary));
    st_api->set_content_length(r, total);
    if (st_api->header_only(r)) return MH_OK;
    for (int i = 0; i < n; i++)
        if (st_api->puts(r, heads[i]) != 0 || st_api->sendfile(r, fd, s[i].first, s[i].last - s[i].first + 1) != 0)
            return MH_OK; /* the client left; the core closes the connection */
    st_api->puts(r, tail);
    return MH_OK;
}

int st_send_ranges(mh_request *r, int fd, int64_t size, const char *type, const st_cond *c,
                   const st_validators *v)
{
    if (c->range == NULL || c->range_repeated) return MH_DECLINED;
    int max = st_max_ranges(r);
    if (max == 0 || !st_if_range_holds(c, v)) return MH_DECLINED;

    mh_pool *p = st_api->request_pool(r);
    size_t cap = 1;
    for (const char *q = c->range; *q; q++) cap += *q == ',';
    span *s = st_api->palloc(p, cap * sizeof *s);
    int specs;
    int n = parse_ranges(c->range, size, s, &specs);
    if (n < 0 || (max > 0 && specs > max)) return MH_DECLINED;
    if (n == 0) {
        st_api->header_out_set(r, "Content-Range", st_api->psprintf(p, "bytes */%lld", (long long)size));
        return 416;
    }
    n = merge_ranges(s, n);
    return n == 1 ? send_one(r, fd, size, type, s[0]) : send_parts(r, fd, size, type, s, n);
}
