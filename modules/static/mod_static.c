/*
 * mod_static: files and directories under DocumentRoot, as Apache's
 * default_handler, mod_dir and mod_autoindex serve them.
 *
 * The core has already decoded and normalised the URL path and mapped it
 * onto DocumentRoot (api->filename). The hot path for a file is one open,
 * one fstat (the type check and the validators at once, about the very
 * file that is sent), the send and one close: nothing is looked up twice.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "static.h"

const mh_api *st_api;

/* Ours when no handler is set, or when it names us. SetHandler keeps the
 * case it was written in; Apache lower-cases it. */
static int is_our_handler(const mh_request *r)
{
    const char *h = st_api->handler_name(r);
    return h == NULL || strcasecmp(h, "static-file") == 0 || strcasecmp(h, "default-handler") == 0;
}

/* Defence in depth: the core maps only under DocumentRoot (mod_alias under
 * the directory an Alias names: context_document_root) and removes "..",
 * but another module's translate_name might not. */
static int under_document_root(const mh_request *r, const char *f)
{
    const char *root = st_api->context_document_root(r);
    size_t n = strlen(root);
    while (n > 0 && root[n - 1] == '/') n--; /* "/srv/www/", and DocumentRoot "/" */
    if (strncmp(f, root, n) != 0 || (f[n] != '/' && f[n] != '\0')) return 0;
    for (const char *p = f + n; (p = strstr(p, "/..")) != NULL; p += 3)
        if (p[3] == '/' || p[3] == '\0') return 0;
    return 1;
}

/* Extra path after a file ("/page.html/more"): refused unless AcceptPathInfo
 * On, as Apache's default handler (AH00130). */
static int refuses_path_info(mh_request *r, const char *f)
{
    if (!MH_API_HAS(st_api, accept_path_info)) return 0;
    const char *info = st_api->path_info(r);
    if (info[0] == '\0' || st_api->accept_path_info(r) == MH_PATH_INFO_ACCEPT) return 0;
    st_api->log_error(&static_module, MH_LOG_INFO, 0, NULL, r, "AH00130: File does not exist: %s%s", f, info);
    return 1;
}

/* mod_dir: a directory named without its trailing slash gets a 301 to the
 * slash form, so that relative links inside it resolve; the query stays. */
static int redirect_to_slash(mh_request *r)
{
    mh_pool *p = st_api->request_pool(r);
    const char *query = st_api->request_query(r);
    const char *path = st_api->psprintf(p, "%s/%s%s", st_api->escape_path(p, st_api->request_path(r)),
                                        query ? "?" : "", query ? query : "");
    const char *loc = st_api->construct_url(r, path);
    st_api->header_out_set(r, "Location", loc);
    /* The core sends no page for a 3xx a handler returns: write Apache's. */
    const char *body = st_api->psprintf(p,
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n"
        "<html><head>\n<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n"
        "<p>The document has moved <a href=\"%s\">here</a>.</p>\n%s</body></html>\n",
        st_api->escape_html(p, loc), st_signature(r, "<hr>\n"));
    st_api->set_status(r, 301);
    st_api->set_content_type(r, "text/html; charset=iso-8859-1");
    st_api->set_content_length(r, (int64_t)strlen(body));
    st_api->puts(r, body);
    return MH_OK;
}

/* A directory: the first DirectoryIndex that is a regular file, else the
 * listing when Options Indexes is on, else 403. *dirfd may be taken over. */
static int serve_directory(mh_request *r, int *dirfd, const char *dirname)
{
    const char *path = st_api->request_path(r);
    if (path[strlen(path) - 1] != '/') return redirect_to_slash(r);

    const char *name;
    for (int i = 0; (name = st_api->directory_index(r, i)) != NULL; ++i) {
        int fd;
        int rv = st_open_at(r, *dirfd, dirname, name, &fd);
        if (rv == MH_DECLINED) continue;
        if (rv != MH_OK) return rv;
        struct stat st;
        if (fstat(fd, &st) != 0) {
            st_api->log_error(&static_module, MH_LOG_ERR, errno, NULL, r, "fstat %s%s", dirname, name);
            rv = 500;
        } else if (S_ISREG(st.st_mode)) {
            rv = st_serve_file(r, fd, &st, name, 0);
        } else {
            rv = MH_DECLINED; /* e.g. a directory called index.html: try the next */
        }
        close(fd);
        if (rv != MH_DECLINED) return rv;
    }
    if (st_api->options(r) & MH_OPT_INDEXES) {
        int fd = *dirfd;
        *dirfd = -1;
        return st_send_listing(r, fd);
    }
    st_api->log_error(&static_module, MH_LOG_ERR, 0, NULL, r,
                      "AH01276: Cannot serve directory %s: No matching DirectoryIndex found, and "
                      "server-generated directory index forbidden by Options directive", dirname);
    return 403;
}

/* [worker] */
static int static_handler(mh_request *r)
{
    if (!is_our_handler(r)) return MH_DECLINED;
    const char *f = st_api->filename(r);
    if (f == NULL) return MH_DECLINED;
    if (!under_document_root(r, f)) {
        st_api->log_error(&static_module, MH_LOG_ERR, 0, NULL, r,
                          "refusing %s: not under DocumentRoot %s", f, st_api->context_document_root(r));
        return 403;
    }
    if (refuses_path_info(r, f)) return 404;

    int fd;
    int rv = st_open_path(r, f, &fd);
    if (rv != MH_OK) return rv;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        st_api->log_error(&static_module, MH_LOG_ERR, errno, NULL, r, "fstat %s", f);
        rv = 500;
    } else if (S_ISREG(st.st_mode)) {
        rv = st_serve_file(r, fd, &st, f, 1);
    } else if (S_ISDIR(st.st_mode)) {
        rv = serve_directory(r, &fd, f);
    } else {
        /* FIFOs, devices, sockets: opened non-blocking above, never read. */
        st_api->log_error(&static_module, MH_LOG_ERR, 0, NULL, r, "not a regular file: %s", f);
        rv = 403;
    }
    if (fd >= 0) close(fd);
    return rv;
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    st_api = api;
    /* Last, as Apache's default handler: any other handler comes first. */
    api->hook_handler(self, static_handler, MH_HOOK_REALLY_LAST);
}

MH_DECLARE_MODULE(static_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING, /* open, fstat and sendfile of files: an event loop may run it */
    st_commands,
    st_create_dir_config,
    st_merge_dir_config,
    NULL, /* no server config */
    register_hooks,
    NULL, /* not an MPM */
};
