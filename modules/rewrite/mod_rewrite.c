/*
 * mod_rewrite: Apache 2.4's RewriteEngine, RewriteBase, RewriteCond,
 * RewriteRule and RewriteOptions Inherit (docs/rewrite.md).
 *
 * Server context (and each <VirtualHost>): translate_name applies the rules
 * to the URL-path before mod_alias; the result is a redirect, a file (its
 * first segment exists on disk), a URL-path under DocumentRoot, or with
 * [PT] a new URL-path for the rest of the mapping (set_request_path).
 * <Directory>/<Location>: a fixup applies them to the file name, the
 * directory's path taken off; a changed URL is served by an internal
 * redirect from the "redirect-handler" handler, as Apache does it.
 * The hooks stat files: they run on worker threads.
 */
#include <string.h>

#include "rewrite.h"

const mh_api *rw_api;

static int ended(mh_request *r)
{
    return rw_api->table_get(rw_api->notes(r), RW_NOTE_END) != NULL;
}

static void start(rw_ctx *ctx, mh_request *r, const char *perdir, const char *filename)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->r = r;
    ctx->p = rw_api->request_pool(r);
    ctx->perdir = perdir;
    ctx->filename = filename;
    ctx->query = ctx->orig_query = rw_api->request_query(r);
}

/* A query a rewrite made by hand must not carry raw controls or spaces
 * (Apache's AH10411 check). */
static int query_is_clean(const char *q)
{
    for (; q && *q; ++q)
        if ((unsigned char)*q <= 0x20 || *q == 0x7f) return 0;
    return 1;
}

/* Apache's AH10411: 403 for such a query unless a redirect escapes it. */
static int query_refused(rw_ctx *ctx, int action)
{
    int escaped = rw_absolute_uri(ctx->filename, NULL) && action != RW_CHANGED_NOESCAPE;
    if (action == RW_STATUS || escaped || query_is_clean(ctx->query)) return 0;
    rw_api->log_error(&rewrite_module, MH_LOG_DEBUG, 0, NULL, ctx->r,
                      "AH10411: Rewritten query string contains control characters or spaces");
    return 1;
}

/* [worker] Apache's hook_uri. */
static int translate(mh_request *r)
{
    const mh_server *s = rw_api->request_server(r);
    const rw_server_config *sc = rw_api->server_config(s, &rewrite_module);
    /* A virtual host without directives of ours runs no rules (Apache). */
    if (sc == NULL || !sc->engine || sc->rules.n == 0 || sc->server != s || ended(r)) return MH_DECLINED;
    mh_table *env = rw_api->subprocess_env(r);
    if (!rw_api->table_get(env, "SCRIPT_URL")) { /* the first URL, kept through internal redirects */
        const char *path = rw_api->request_path(r);
        rw_api->table_set(env, "SCRIPT_URL", path);
        mh_pool *p = rw_api->request_pool(r);
        rw_api->table_set(env, "SCRIPT_URI", rw_api->construct_url(r, rw_api->escape_path(p, path)));
    }

    rw_ctx ctx;
    start(&ctx, r, NULL, rw_api->request_path(r));
    int action = rw_apply_rules(&ctx, &sc->rules);
    if (action == RW_UNCHANGED) return MH_DECLINED;
    if (query_refused(&ctx, action)) return 403;
    if (action == RW_STATUS) return ctx.status;
    rw_api->set_request_query(r, ctx.query);
    if (rw_absolute_uri(ctx.filename, NULL)) return rw_redirect(&ctx, action);
    if (ctx.passthrough) /* to Alias and the core's map, as the URL */
        return rw_api->set_request_path(r, ctx.filename) == 0 ? MH_DECLINED : 400;
    if (ctx.filename[0] != '/') return 400;
    const char *f = ctx.filename;
    if (ctx.uri_reduced || !rw_first_segment_exists(ctx.p, f)) {
        const char *root = rw_api->document_root(r);
        size_t n = strlen(root);
        while (n && root[n - 1] == '/') --n;
        f = rw_api->psprintf(ctx.p, "%.*s%s", (int)n, root, f);
    }
    rw_api->set_filename(r, f);
    return MH_OK;
}

/* [worker] A directory's redirect to an absolute URL: its path, when it
 * still names the directory, is put back under RewriteBase. */
static int redirect_from_directory(rw_ctx *ctx, const rw_dir_config *d, int action)
{
    if (d->base) {
        int skip = rw_absolute_uri(ctx->filename, NULL);
        const char *path = strchr(ctx->filename + skip, '/');
        if (path && path[1]) {
            ++path;
            const char *dir = d->directory[0] == '/' ? d->directory + 1 : d->directory;
            const char *moved = rw_replace_prefix(ctx->p, path, dir, d->base + 1);
            if (strcmp(moved, path) != 0)
                ctx->filename = rw_api->psprintf(ctx->p, "%.*s%s", (int)(path - ctx->filename), ctx->filename, moved);
        }
    }
    return rw_redirect(ctx, action);
}

/* [worker] Apache's hook_fixup. */
static int fixup(mh_request *r)
{
    const rw_dir_config *d = rw_api->dir_config(r, &rewrite_module);
    if (d == NULL || d->directory == NULL || !d->engine || d->rules.n == 0 || ended(r)) return MH_DECLINED;
    if (!(rw_api->options(r) & (MH_OPT_FOLLOW_SYMLINKS | MH_OPT_SYMLINKS_IF_OWNER_MATCH))) {
        rw_api->log_error(&rewrite_module, MH_LOG_ERR, 0, NULL, r,
                          "AH00670: Options FollowSymLinks and SymLinksIfOwnerMatch are both off, so the "
                          "RewriteRule directive is also forbidden due to its similar ability to circumvent "
                          "directory restrictions : %s",
                          rw_api->filename(r) ? rw_api->filename(r) : rw_api->request_path(r));
        return 403;
    }
    const char *before = rw_api->filename(r);
    rw_ctx ctx;
    start(&ctx, r, d->directory, before ? before : rw_api->request_path(r));
    if (MH_API_HAS(rw_api, path_info)) ctx.path_info = rw_api->path_info(r);
    int action = rw_apply_rules(&ctx, &d->rules);
    if (action == RW_UNCHANGED) return MH_DECLINED;
    if (query_refused(&ctx, action)) return 403;
    if (action == RW_STATUS) return ctx.status;
    if (rw_absolute_uri(ctx.filename, NULL)) return redirect_from_directory(&ctx, d, action);
    rw_api->set_request_query(r, ctx.query);
    if (ctx.filename[0] != '/') return 400;
    /* The same URL again would loop: served as it is. */
    if (before && strcmp(ctx.filename, before) == 0) return MH_OK;

    const char *uri = ctx.filename;
    if (d->base) {
        uri = rw_replace_prefix(ctx.p, uri, d->directory, d->base);
    } else {
        /* Without RewriteBase the directory is taken to be where
         * DocumentRoot puts it. */
        const char *root = rw_api->document_root(r);
        size_t n = strlen(root);
        while (n && root[n - 1] == '/') --n;
        if (strncmp(uri, root, n) == 0 && uri[n] == '/') uri += n;
    }
    /* [T] and [H] are for this URL, not the one served in its place. */
    rw_api->table_unset(rw_api->notes(r), RW_NOTE_TYPE);
    rw_api->table_unset(rw_api->notes(r), RW_NOTE_HANDLER);
    rw_api->set_filename(r, rw_api->psprintf(ctx.p, "redirect:%s", uri));
    rw_api->set_handler(r, RW_REDIRECT_HANDLER);
    return MH_OK;
}

/* [worker] Apache's handler_redirect: the rewritten URL served in place
 * of the request's. */
static int redirect_handler(mh_request *r)
{
    const char *h = rw_api->handler_name(r);
    const char *f = rw_api->filename(r);
    if (h == NULL || strcmp(h, RW_REDIRECT_HANDLER) != 0 || f == NULL || strncmp(f, "redirect:", 9) != 0)
        return MH_DECLINED;
    const char *q = rw_api->request_query(r);
    const char *uri = q ? rw_api->psprintf(rw_api->request_pool(r), "%s?%s", f + 9, q) : f + 9;
    int rv = rw_api->internal_redirect(r, uri);
    return rv ? rv : MH_OK;
}

/* [worker] Apache's hook_mimetype: [T] and [H], once the type checkers
 * and the other fixups are done. */
static int force_type(mh_request *r)
{
    mh_table *notes = rw_api->notes(r);
    const char *type = rw_api->table_get(notes, RW_NOTE_TYPE);
    const char *handler = rw_api->table_get(notes, RW_NOTE_HANDLER);
    if (type) rw_api->set_content_type(r, type);
    if (handler) rw_api->set_handler(r, handler);
    return MH_DECLINED;
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    rw_api = api;
    if (!MH_API_HAS(api, set_request_query)) return; /* every directive refuses */
    /* Before mod_alias (MIDDLE) maps the URL. */
    api->hook_translate_name(self, translate, MH_HOOK_FIRST);
    /* Apache runs it first, after mod_alias's Redirect fixup. */
    api->hook_fixups(self, fixup, MH_HOOK_MIDDLE + 1);
    api->hook_fixups(self, force_type, MH_HOOK_LAST);
    api->hook_handler(self, redirect_handler, MH_HOOK_FIRST);
}

MH_DECLARE_MODULE(rewrite_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    rw_commands,
    rw_create_dir_config,
    rw_merge_dir_config,
    rw_create_server_config,
    register_hooks,
    NULL, /* not an MPM */
    rw_merge_server_config,
};
