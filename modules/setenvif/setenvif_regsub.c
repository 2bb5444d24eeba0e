/*
 * $0..$9 in SetEnvIf values: Apache's ap_pregsub. The API's
 * regex_substitute keeps a backslash before anything but '$' and '\';
 * Apache drops it before any character, so this module has its own.
 */
#include <string.h>

#include "setenvif.h"

/* One pass: counts when `out` is NULL, writes otherwise. */
static size_t regsub_pass(char *out, const char *tmpl, const char *subject, const mh_regmatch *m, int nmatch)
{
    size_t n = 0;
    for (const char *s = tmpl; *s;) {
        char c = *s++;
        if (c == '$' && *s >= '0' && *s <= '9') {
            int g = *s++ - '0';
            if (g < nmatch && m[g].start >= 0 && m[g].start < m[g].end) {
                size_t len = (size_t)(m[g].end - m[g].start);
                if (out) memcpy(out + n, subject + m[g].start, len);
                n += len;
            }
            continue;
        }
        if (c == '\\' && *s) c = *s++;
        if (out) out[n] = c;
        ++n;
    }
    return n;
}

char *se_regsub(mh_pool *p, const char *tmpl, const char *subject, const mh_regmatch *m, int nmatch)
{
    size_t n = regsub_pass(NULL, tmpl, subject, m, nmatch);
    char *out = se_api->palloc(p, n + 1);
    regsub_pass(out, tmpl, subject, m, nmatch);
    out[n] = '\0';
    return out;
}
