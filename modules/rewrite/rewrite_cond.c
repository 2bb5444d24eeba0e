/*
 * One RewriteCond against the request, as Apache's apply_rewrite_cond:
 * the TestString is expanded, then matched (regex: its groups become %N),
 * tested on disk (-f -s -d -l -x) or compared (= < <= > >=).
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rewrite.h"

/* Apache's compare_lexicography: the longer string is the greater one;
 * strings of one length compare byte by byte. */
static int compare(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb) return la > lb ? 1 : -1;
    int c = memcmp(a, b, la);
    return c > 0 ? 1 : c < 0 ? -1 : 0;
}

static int file_test(int type, const char *path)
{
    struct stat st;
    if (type == RW_COND_LINK) return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
    if (stat(path, &st) != 0) return 0;
    switch (type) {
    case RW_COND_FILE: return S_ISREG(st.st_mode);
    case RW_COND_SIZE: return S_ISREG(st.st_mode) && st.st_size > 0;
    case RW_COND_DIR: return S_ISDIR(st.st_mode);
    case RW_COND_XBIT: return !S_ISDIR(st.st_mode) && (st.st_mode & S_IXUSR);
    }
    return 0;
}

int rw_cond_matches(rw_ctx *ctx, const rw_cond *c)
{
    const char *input = rw_expand(ctx, c->input);
    int rc = 0;
    switch (c->type) {
    case RW_COND_FILE: case RW_COND_SIZE: case RW_COND_DIR: case RW_COND_LINK: case RW_COND_XBIT:
        rc = file_test(c->type, input);
        break;
    case RW_COND_STR_EQ:
        rc = (c->flags & RW_CF_NOCASE) ? !strcasecmp(input, c->pattern) : !strcmp(input, c->pattern);
        break;
    case RW_COND_STR_LT: rc = compare(input, c->pattern) < 0; break;
    case RW_COND_STR_LE: rc = compare(input, c->pattern) <= 0; break;
    case RW_COND_STR_GT: rc = compare(input, c->pattern) > 0; break;
    case RW_COND_STR_GE: rc = compare(input, c->pattern) >= 0; break;
    default: {
        mh_regmatch m[MH_REGEX_MAX_MATCH];
        rc = rw_api->regex_match(c->regex, input, m, MH_REGEX_MAX_MATCH);
        if (rc && !(c->flags & RW_CF_NOT)) { /* its groups are %1..%9 from now on */
            ctx->rc_source = input;
            memcpy(ctx->rc, m, sizeof m);
        }
        break;
    }
    }
    return (c->flags & RW_CF_NOT) ? !rc : rc;
}
