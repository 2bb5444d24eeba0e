/*
 * One list of entries against one request, as Apache 2.4's match_headers:
 * each entry's attribute value (a missing one is ""), matched by its
 * regex or plain pattern; on a match its variables are set in
 * subprocess_env ($0..$9 from a regex) or unset ("!var").
 */
#define _GNU_SOURCE
#include <string.h>

#include "setenvif.h"

typedef struct last_header {
    const mh_regex *names;
    const char *value;
} last_header;

static int note_match(void *data, const char *name, const char *value)
{
    last_header *h = data;
    if (se_api->regex_match(h->names, name, NULL, 0)) h->value = value;
    return 0;
}

/* The value of an entry's attribute for this request, or NULL. */
static const char *attribute_value(mh_request *r, const se_entry *e)
{
    switch (e->attribute) {
    case SE_REMOTE_ADDR:
    case SE_REMOTE_HOST: return se_api->client_ip(r); /* no lookups: Apache gives the address too */
    case SE_SERVER_ADDR: return se_api->local_ip(r);
    case SE_REQUEST_METHOD: return se_api->request_method(r);
    case SE_REQUEST_PROTOCOL: return se_api->request_protocol(r);
    case SE_REQUEST_URI: return se_api->request_path(r);
    case SE_HEADER: break;
    }
    if (e->name_re) { /* the last header whose name matches, as Apache */
        last_header h = {e->name_re, NULL};
        se_api->table_each(se_api->headers_in(r), note_match, &h);
        return h.value;
    }
    const char *v = se_api->table_get(se_api->headers_in(r), e->name);
    return v ? v : se_api->table_get(se_api->subprocess_env(r), e->name);
}

static int matches(const se_entry *e, const char *value, mh_regmatch *m)
{
    if (e->re) return se_api->regex_match(e->re, value, m, MH_REGEX_MAX_MATCH);
    return (e->icase ? strcasestr(value, e->substring) : strstr(value, e->substring)) != NULL;
}

static void set_features(mh_request *r, const se_entry *e, const char *value, const mh_regmatch *m, int *trace)
{
    mh_table *env = se_api->subprocess_env(r);
    for (int i = 0; i < e->nfeatures; ++i) {
        const se_feature *f = &e->features[i];
        if (f->value[0] == '!')
            se_api->table_unset(env, f->name);
        else
            se_api->table_set(env, f->name,
                              e->re ? se_api->regex_substitute(se_api->request_pool(r), f->value, value, m, MH_REGEX_MAX_MATCH)
                                    : f->value);
        if (*trace < 0) *trace = se_api->log_enabled(&setenvif_module, se_api->request_server(r), MH_LOG_TRACE2);
        if (*trace) se_api->log_error(&setenvif_module, MH_LOG_TRACE2, 0, NULL, r, "Setting %s", f->name);
    }
}

void se_match(mh_request *r, const se_list *list)
{
    const char *last_name = NULL, *value = NULL;
    int trace = -1; /* unknown until something is set */
    for (int i = 0; i < list->n; ++i) {
        const se_entry *e = list->items[i];
        /* A run of entries on one attribute reads it once, as Apache:
         * a variable set by the run does not change what the run sees. */
        if (e->name != last_name) {
            last_name = e->name;
            value = attribute_value(r, e);
        }
        if (value == NULL) value = "";
        mh_regmatch m[MH_REGEX_MAX_MATCH];
        if (matches(e, value, m)) set_features(r, e, value, m, &trace);
    }
}
