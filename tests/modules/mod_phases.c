/* Test module: one hook in every request phase of ABI 1.2, each doing
 * something a test can see, driven by words of the query string:
 *
 *   ?quick        quick_handler answers "quick\n" before any mapping
 *   ?deny         access_checker refuses with 403
 *   ?auth         access_checker_ex asks for a user; check_user_id takes it
 *                 from X-User (none: 401 with WWW-Authenticate), and
 *                 auth_checker admits only "alice" (others: 403)
 *   ?upper        insert_filter adds the UPPER output filter (upper-cases the
 *                 body, drops Content-Length: the body goes out chunked)
 *   ?errdoc       error_response serves /errpage.txt with internal_redirect
 *   ?loop         phase-handler redirects to the request's own path, to the
 *                 limit of internal redirects
 *
 * post_read_request records the phases seen in the note "phases", which
 * the log_transaction hook copies into the file named by env PHASES_LOG;
 * a fixup copies the note into the X-Phases response header (err_headers_out,
 * so that error pages carry it too). type_checker makes *.phase files
 * handled by "phase-handler", which answers "phase handler\n". */
#include <modhttpd/modhttpd.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const mh_api *api;
static const mh_module *self_module;

static int has(const mh_request *r, const char *word)
{
    const char *q = api->request_query(r);
    size_t n = strlen(word);
    while (q && *q) {
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        if (len == n && strncmp(q, word, n) == 0) return 1;
        q = end ? end + 1 : NULL;
    }
    return 0;
}

static void saw(mh_request *r, const char *phase)
{
    mh_table *notes = api->notes(r);
    const char *old = api->table_get(notes, "phases");
    api->table_set(notes, "phases", old ? api->psprintf(api->request_pool(r), "%s,%s", old, phase) : phase);
}

static int post_read(mh_request *r) { saw(r, "post_read"); return MH_OK; }

static int quick(mh_request *r)
{
    saw(r, "quick");
    if (!has(r, "quick")) return MH_DECLINED;
    api->set_content_type(r, "text/plain");
    api->puts(r, "quick\n");
    return MH_OK;
}

static int header_parser(mh_request *r) { saw(r, "header_parser"); return MH_DECLINED; }

static int access(mh_request *r)
{
    saw(r, "access");
    return has(r, "deny") ? 403 : MH_DECLINED;
}

static int access_ex(mh_request *r)
{
    saw(r, "access_ex");
    return has(r, "auth") ? MH_DECLINED : MH_OK;
}

static int check_user(mh_request *r)
{
    saw(r, "check_user");
    const char *user = api->header_in(r, "X-User");
    if (user == NULL) {
        api->table_set(api->err_headers_out(r), "WWW-Authenticate", "X-User realm=\"phases\"");
        return 401;
    }
    api->set_user(r, user);
    return MH_OK;
}

static int auth_check(mh_request *r)
{
    saw(r, "auth_check");
    return strcmp(api->user(r), "alice") == 0 ? MH_OK : 403;
}

static int type_check(mh_request *r)
{
    saw(r, "type");
    const char *f = api->filename(r);
    size_t n = f ? strlen(f) : 0;
    if (n > 6 && strcmp(f + n - 6, ".phase") == 0) {
        api->set_handler(r, "phase-handler");
        return MH_OK;
    }
    return MH_DECLINED;
}

static int fixups(mh_request *r)
{
    saw(r, "fixups");
    api->table_set(api->err_headers_out(r), "X-Phases", api->table_get(api->notes(r), "phases"));
    return MH_DECLINED;
}

static int upper_filter(mh_filter *f, mh_request *r, const char *data, size_t n, int eos)
{
    if (api->filter_ctx(f) == NULL) {  /* first call: the headers are not out yet */
        api->set_content_length(r, -1);
        api->table_set(api->headers_out(r), "X-Upper", "yes");
        api->filter_set_ctx(f, (void *)1);
    }
    char *out = api->palloc(api->request_pool(r), n + 1);
    for (size_t i = 0; i < n; ++i) out[i] = (char)toupper((unsigned char)data[i]);
    return api->filter_pass(f, out, n, eos);
}

static int insert_filter(mh_request *r)
{
    saw(r, "insert_filter");
    if (has(r, "upper")) api->add_output_filter(r, "UPPER", NULL);
    return MH_OK;
}

static int handler(mh_request *r)
{
    saw(r, "handler");
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "phase-handler") != 0) return MH_DECLINED;
    if (has(r, "loop")) {
        const char *again = api->psprintf(api->request_pool(r), "%s?loop", api->request_path(r));
        int rv = api->internal_redirect(r, again);
        return rv == MH_WOULD_BLOCK ? rv : rv == 0 ? MH_OK : rv;
    }
    api->set_content_type(r, "text/plain");
    api->puts(r, "phase handler\n");
    return MH_OK;
}

/* internal_redirect says MH_WOULD_BLOCK on an event loop: so do we, and the
 * core calls us again on a worker thread. */
static int redirected(int rv) { return rv == MH_WOULD_BLOCK ? rv : rv == 0 ? MH_OK : MH_DECLINED; }

static int error_response(mh_request *r, int status)
{
    if (!has(r, "errdoc") || strcmp(api->request_path(r), "/errpage.txt") == 0) return MH_DECLINED;
    (void)status;
    return redirected(api->internal_redirect(r, "/errpage.txt?from=error"));
}

static int log_it(mh_request *r)
{
    const char *path = getenv("PHASES_LOG");
    if (path == NULL) return MH_OK;
    FILE *f = fopen(path, "a");
    if (f == NULL) return MH_OK;
    const char *phases = api->table_get(api->notes(r), "phases");
    const char *redirect = api->table_get(api->subprocess_env(r), "REDIRECT_STATUS");
    fprintf(f, "%s %d %s redirect=%s\n", api->request_path(r), api->status(r), phases ? phases : "-",
            redirect ? redirect : "-");
    fclose(f);
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    self_module = self;
    a->hook_post_read_request(self, post_read, MH_HOOK_MIDDLE);
    a->hook_quick_handler(self, quick, MH_HOOK_MIDDLE);
    a->hook_header_parser(self, header_parser, MH_HOOK_MIDDLE);
    a->hook_access_checker(self, access, MH_HOOK_MIDDLE);
    a->hook_access_checker_ex(self, access_ex, MH_HOOK_MIDDLE);
    a->hook_check_user_id(self, check_user, MH_HOOK_MIDDLE);
    a->hook_auth_checker(self, auth_check, MH_HOOK_MIDDLE);
    a->hook_type_checker(self, type_check, MH_HOOK_MIDDLE);
    a->hook_fixups(self, fixups, MH_HOOK_MIDDLE);
    a->hook_insert_filter(self, insert_filter, MH_HOOK_MIDDLE);
    a->hook_handler(self, handler, MH_HOOK_FIRST);
    a->hook_error_response(self, error_response, MH_HOOK_MIDDLE);
    a->hook_log_transaction(self, log_it, MH_HOOK_MIDDLE);
    a->register_output_filter(self, "UPPER", upper_filter, MH_FILTER_CONTENT);
}

MH_DECLARE_MODULE(phases_module) = {
    MH_MODULE_HEADER, MH_MODULE_NONBLOCKING, NULL, NULL, NULL, NULL, register_hooks, NULL,
};
