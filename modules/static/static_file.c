/*
 * One regular file: the method, the validators, the conditionals, then a
 * range or the whole body through api->sendfile (the core reads a small
 * file into its output buffer and sendfile(2)s a large one).
 */
#define _GNU_SOURCE
#include <string.h>

#include <modhttpd/mime.h>

#include "static.h"

/* The Content-Type. With mod_mime loaded it is mod_mime's answer, none
 * included (RemoveType): the request's own file was typed by its
 * type_checker, a file served in its place (DirectoryIndex) is typed
 * through its provider. Without it, a type another type_checker set, else
 * the core's TypesConfig/AddType. */
static const char *type_of(mh_request *r, const char *name, int own_file)
{
    const mh_mime_provider *mime =
        st_api->lookup_provider(MH_MIME_PROVIDER_GROUP, MH_MIME_PROVIDER_NAME, MH_MIME_PROVIDER_VERSION);
    if (mime && !own_file) mime->type_file(r, name);
    if (mime || (own_file && st_api->content_type(r))) return st_api->content_type(r);
    return st_api->mime_type(r, name);
}

int st_answer_method(mh_request *r)
{
    const char *m = st_api->request_method(r);
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0) return MH_DECLINED;
    st_api->header_out_set(r, "Allow", "GET, HEAD, OPTIONS");
    if (strcmp(m, "OPTIONS") != 0) return 405;
    st_api->set_content_length(r, 0);
    return MH_OK;
}

int st_serve_file(mh_request *r, int fd, const struct stat *st, const char *name, int own_file)
{
    int rv = st_answer_method(r);
    if (rv != MH_DECLINED) return rv;

    st_validators v;
    st_make_validators(st, &v);
    st_cond c;
    st_read_conditions(r, &c);
    st_api->header_out_set(r, "Last-Modified", st_api->http_date(st_api->request_pool(r), v.last_modified));
    st_api->header_out_set(r, "ETag", v.etag);
    rv = st_preconditions(&c, &v);
    if (rv == 304) {
        st_api->set_status(r, 304); /* the validators go out, no body */
        return MH_OK;
    }
    if (rv != 0) return rv;

    const char *type = type_of(r, name, own_file);
    st_api->header_out_set(r, "Accept-Ranges", "bytes");
    if (!st_api->header_only(r)) { /* Range is defined for GET only */
        rv = st_send_ranges(r, fd, st->st_size, type, &c, &v);
        if (rv != MH_DECLINED) return rv;
    }
    if (type) st_api->set_content_type(r, type);
    st_api->set_content_length(r, st->st_size);
    if (!st_api->header_only(r) && st->st_size > 0) st_api->sendfile(r, fd, 0, st->st_size);
    return MH_OK;
}
