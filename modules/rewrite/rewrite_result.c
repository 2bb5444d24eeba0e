/*
 * What a rewritten URL becomes once the rules are done: an external
 * redirect (Location escaped as Apache escapes it), or a local result whose
 * first segment says whether it is a file name or a URL-path.
 */
#include <string.h>
#include <sys/stat.h>

#include "rewrite.h"

/* Apache's escape_absolute_uri: the path of "scheme://host/path" escaped,
 * the scheme and authority as they are. */
static const char *escape_url(mh_pool *p, const char *url, int scheme_len)
{
    const char *cp = url + scheme_len;
    if (cp[-1] == '/') { /* an authority: the path starts after it */
        while (*cp && *cp != '/') ++cp;
        if (!*cp || !*++cp) return url;
    }
    return rw_api->psprintf(p, "%.*s%s", (int)(cp - url), url, rw_api->escape_path(p, cp));
}

int rw_redirect(rw_ctx *ctx, int action)
{
    int noescape = action == RW_CHANGED_NOESCAPE;
    const char *url = ctx->filename;
    if (!noescape) url = escape_url(ctx->p, url, rw_absolute_uri(url, NULL));
    if (ctx->query) {
        /* The request's own query went out as it came. */
        int as_is = noescape || (ctx->orig_query && strcmp(ctx->query, ctx->orig_query) == 0);
        url = rw_api->psprintf(ctx->p, "%s?%s", url, as_is ? ctx->query : rw_api->escape_path(ctx->p, ctx->query));
    }
    rw_api->header_out_set(ctx->r, "Location", url);
    return ctx->status >= 300 && ctx->status <= 399 ? ctx->status : 302;
}

const char *rw_replace_prefix(mh_pool *p, const char *input, const char *match, const char *subst)
{
    size_t len = strlen(match);
    if (len && match[len - 1] == '/') --len;
    if (strncmp(input, match, len) != 0 || input[len] != '/') return input;
    const char *rest = input + len + 1;
    size_t slen = strlen(subst);
    return rw_api->psprintf(p, "%s%s%s", subst, (slen && subst[slen - 1] != '/') ? "/" : "", rest);
}

int rw_first_segment_exists(mh_pool *p, const char *path)
{
    const char *slash = strchr(path + 1, '/');
    const char *first = slash ? rw_api->pstrndup(p, path, (size_t)(slash - path)) : path;
    struct stat st;
    return stat(first, &st) == 0;
}
