/*
 * Header edit and edit*: Apache's process_regexp, on the API's
 * regex_substitute (Apache's ap_pregsub).
 */
#include <string.h>

#include "headers.h"

/* A growing string in the request pool. */
typedef struct buf {
    mh_pool *p;
    char *s;
    size_t n, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *grown = hd_api->palloc(b->p, cap);
        if (b->n) memcpy(grown, b->s, b->n);
        b->s = grown;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* edit*: each further match is sought in what follows the last one, as a
 * new subject (so "^a" matches again there, as in Apache). After an empty
 * match one character is copied first: Apache recurses on the same text
 * forever there and crashes. */
const char *hd_edit_value(mh_request *r, const mh_regex *re, int all, const char *tmpl, const char *value)
{
    mh_regmatch m[MH_REGEX_MAX_MATCH];
    if (!hd_api->regex_match(re, value, m, MH_REGEX_MAX_MATCH)) return value;
    buf b = {hd_api->request_pool(r), NULL, 0, 0};
    buf_add(&b, "", 0);
    const char *subject = value;
    for (;;) {
        buf_add(&b, subject, (size_t)m[0].start);
        const char *subs = hd_api->regex_substitute(b.p, tmpl, subject, m, MH_REGEX_MAX_MATCH);
        buf_add(&b, subs, strlen(subs));
        const char *rest = subject + m[0].end;
        if (m[0].start == m[0].end) {
            if (*rest == '\0' || !all) {
                buf_add(&b, rest, strlen(rest));
                break;
            }
            buf_add(&b, rest, 1);
            ++rest;
        }
        if (!all || !hd_api->regex_match(re, rest, m, MH_REGEX_MAX_MATCH)) {
            buf_add(&b, rest, strlen(rest));
            break;
        }
        subject = rest;
    }
    return b.s;
}
