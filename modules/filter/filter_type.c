/*
 * The response's media type, as Apache's mod_filter reads r->content_type:
 *
 *   1. the type the handler or a type_checker (mod_mime) set
 *      (api->content_type);
 *   2. a Content-Type in headers_out (a module that set it there);
 *   3. for a request mod_static serves, the type it gives: the file's
 *      (api->mime_type, TypesConfig and AddType), for a directory the first
 *      DirectoryIndex file's, or text/html for its listing.
 *
 * Before the handler runs only 1 and 2 may be known: another handler's
 * type is decided when its output reaches the filter.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "filter.h"

const char ft_type_later[] = "";

/* "Text/HTML; charset=utf-8" -> "text/html" */
static const char *media_type(mh_request *r, const char *t)
{
    if (t == NULL) return NULL;
    size_t n = strcspn(t, "; \t");
    char *m = ft_api->pstrndup(ft_api->request_pool(r), t, n);
    for (char *c = m; *c; ++c) *c = (char)tolower((unsigned char)*c);
    return *m ? m : NULL;
}

/* mod_static answers when no handler is set or one of its names is. */
static int static_serves(const mh_request *r)
{
    const char *h = ft_api->handler_name(r);
    return h == NULL || strcasecmp(h, "static-file") == 0 || strcasecmp(h, "default-handler") == 0;
}

/* What mod_static sends for the directory `dir`: its first DirectoryIndex
 * that is a regular file, else the listing (Options Indexes). */
static const char *directory_type(mh_request *r, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) return NULL;
    if (!S_ISDIR(st.st_mode)) return media_type(r, ft_api->mime_type(r, dir));
    size_t n = strlen(dir);
    const char *sep = n && dir[n - 1] == '/' ? "" : "/";
    const char *name;
    for (int i = 0; (name = ft_api->directory_index(r, i)) != NULL; ++i) {
        const char *path = ft_api->psprintf(ft_api->request_pool(r), "%s%s%s", dir, sep, name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return media_type(r, ft_api->mime_type(r, name));
    }
    return ft_api->options(r) & MH_OPT_INDEXES ? "text/html" : NULL;
}

const char *ft_response_type(mh_request *r, int final)
{
    /* Before a handler other than mod_static runs, the type mod_mime gave
     * is only a guess: the handler may set its own. */
    const char *t = ft_api->content_type(r);
    if (t && (final || static_serves(r))) return media_type(r, t);
    t = ft_api->table_get(ft_api->headers_out(r), "Content-Type");
    if (t) return media_type(r, t);
    const char *file = ft_api->filename(r);
    if (file == NULL || !static_serves(r)) return final ? NULL : ft_type_later;
    const char *path = ft_api->request_path(r);
    if (path[strlen(path) - 1] == '/') return final ? directory_type(r, file) : ft_type_later;
    return media_type(r, ft_api->mime_type(r, file));
}
