/*
 * mod_mime: AddCharset, AddEncoding, AddHandler, AddLanguage,
 * AddOutputFilter, AddInputFilter, DefaultLanguage, MultiviewsMatch and
 * their Remove* counterparts, as Apache 2.4's mod_mime, in a type_checker
 * hook. TypesConfig and AddType stay in the core (see mime.h); RemoveType
 * is applied here, where the type is chosen.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>

#include <modhttpd/mime.h>

#include "mime.h"

const mh_api *mm_api;

static const mm_dir *dir_of(const mh_request *r) { return mm_api->dir_config(r, &mime_module); }

static void set_headers(mh_request *r, const mm_result *m)
{
    mh_table *out = mm_api->headers_out(r);
    if (m->language) mm_api->table_set(out, "Content-Language", m->language);
    if (m->encoding) mm_api->table_set(out, "Content-Encoding", m->encoding);
}

/* Each name of an AddOutputFilter list "A;B" on the request. An unknown
 * name is logged and left out, as Apache's ap_add_output_filter. There are
 * no input filters in this server: every one named is unknown. */
static void add_filters(mh_request *r, const char *const *lists, int n, int output)
{
    mh_pool *p = mm_api->request_pool(r);
    for (int i = 0; i < n; i++) {
        for (const char *s = lists[i]; *s; ) {
            const char *semi = strchr(s, ';');
            size_t len = semi ? (size_t)(semi - s) : strlen(s);
            if (len > 0) {
                char *name = mm_api->pstrndup(p, s, len);
                if (!output || mm_api->add_output_filter(r, name, NULL) != 0)
                    mm_api->log_error(&mime_module, MH_LOG_ERR, 0, NULL, r,
                                      "AH00082: an unknown filter was not added: %s", name);
            }
            s += len + (semi != NULL);
        }
    }
}

/* [worker] Apache's find_ct. */
static int type_checker(mh_request *r)
{
    const char *f = mm_api->filename(r);
    const mm_dir *d = dir_of(r);
    if (f == NULL || d == NULL) return MH_DECLINED;
    /* A proxied request ("proxy:http://..."): the backend says what it
     * sends, and Apache never takes its handler from the URL. */
    if (strncmp(f, "proxy:", 6) == 0) return MH_DECLINED;
    mm_result m;
    if (!mm_walk(r, d, f, &m)) return MH_DECLINED;
    /* A directory's name says nothing of what is served for it (a listing,
     * an index file): Apache types it httpd/unix-directory and stops. */
    struct stat st;
    if (stat(f, &st) == 0 && S_ISDIR(st.st_mode)) return MH_DECLINED;
    if (m.type) mm_api->set_content_type(r, m.type);
    set_headers(r, &m);
    /* SetHandler, which the core has already applied, wins over AddHandler
     * (Apache applies it later, in its fixups). */
    if (m.handler && mm_api->handler_name(r) == NULL) mm_api->set_handler(r, m.handler);
    add_filters(r, m.output_filters, m.n_output, 1);
    add_filters(r, m.input_filters, m.n_input, 0);
    return m.type ? MH_OK : MH_DECLINED;
}

/* [worker] mh_mime_provider.type_file: a file served in the request's
 * place (DirectoryIndex). Its type replaces the request's, even by none. */
static void type_file(mh_request *r, const char *filename)
{
    const mm_dir *d = dir_of(r);
    mm_result m;
    if (d == NULL || !mm_walk(r, d, filename, &m)) {
        mm_api->set_content_type(r, NULL);
        return;
    }
    mm_api->set_content_type(r, m.type);
    set_headers(r, &m);
}

/* [worker] mh_mime_provider.describe. */
static void describe(mh_request *r, const char *filename, const char **type, const char **encoding)
{
    const mm_dir *d = dir_of(r);
    mm_result m;
    if (d == NULL || !mm_walk(r, d, filename, &m)) m.type = m.encoding = NULL;
    *type = m.type;
    *encoding = m.encoding;
}

static const mh_mime_provider provider = {sizeof(mh_mime_provider), type_file, describe};

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    mm_api = api;
    api->hook_type_checker(self, type_checker, MH_HOOK_MIDDLE);
    api->register_provider(self, MH_MIME_PROVIDER_GROUP, MH_MIME_PROVIDER_NAME, MH_MIME_PROVIDER_VERSION,
                           &provider);
}

MH_DECLARE_MODULE(mime_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING, /* a table walk and, at most, one stat */
    mm_commands,
    mm_create_dir,
    mm_merge_dir,
    NULL, /* no server config */
    register_hooks,
    NULL, /* not an MPM */
};
