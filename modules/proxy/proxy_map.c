/*
 * From the request's path to the backend URL (ProxyPass, ProxyPassMatch),
 * and from the backend's URLs back to ours (ProxyPassReverse), by Apache
 * 2.4's rules.
 */
#include <string.h>
#include <strings.h>

#include "proxy.h"

size_t px_prefix_length(const char *uri, const char *fake)
{
    const char *u = uri, *f = fake;
    while (*f && *u) {
        if (*f == '/') {
            /* Any run of '/' in the prefix matches any run in the URI. */
            if (*u != '/') return 0;
            while (*f == '/') ++f;
            while (*u == '/') ++u;
        } else if (*u++ != *f++) {
            return 0;
        }
    }
    if (*u == '\0' && *f != '\0') return 0;
    return (size_t)(u - uri);
}

/* Apache's ap_proxy_canonenc for a reverse proxy: the path is decoded
 * already, so everything outside the path's characters is encoded, '%' and
 * '?' included. */
char *px_canon_path(mh_pool *p, const char *path)
{
    static const char allowed[] = "-._~!$&'()*+,;=:@/";
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *out = px_api->palloc(p, n * 3 + 1), *o = out;
    for (const unsigned char *s = (const unsigned char *)path; *s; ++s) {
        int plain = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                    strchr(allowed, *s) != NULL;
        if (plain) {
            *o++ = (char)*s;
        } else {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
    }
    *o = '\0';
    return out;
}

/* `url` with its path encoded, then the client's query. */
static const char *finish_url(mh_request *r, const char *url, int nocanon)
{
    mh_pool *p = px_api->request_pool(r);
    const char *query = px_api->request_query(r);
    const char *bar = strchr(url, '|'); /* "unix:/sock|http://host/..." */
    const char *scheme_end = strstr(bar ? bar : url, "://");
    const char *path = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
    if (!nocanon && path) {
        url = px_api->psprintf(p, "%.*s%s", (int)(path - url), url, px_canon_path(p, path));
    }
    return query && *query ? px_api->psprintf(p, "%s?%s", url, query) : url;
}

/* The path the rules match: decoded and normalised, or as the client sent
 * it (nocanon). */
static const char *match_path(mh_request *r, int nocanon)
{
    if (!nocanon) return px_api->request_path(r);
    const char *target = px_api->request_target(r);
    const char *q = strchr(target, '?');
    return q ? px_api->pstrndup(px_api->request_pool(r), target, (size_t)(q - target)) : target;
}

const char *px_map(mh_request *r, const px_pass *rule)
{
    mh_pool *p = px_api->request_pool(r);
    const char *path = match_path(r, rule->params.nocanon);
    if (rule->regex) {
        mh_regmatch m[MH_REGEX_MAX_MATCH];
        if (!px_api->regex_match(rule->regex, path, m, MH_REGEX_MAX_MATCH)) return NULL;
        if (rule->real == NULL) return "";
        /* Without a $N in the URL, the whole path is appended (Apache). */
        const char *found = px_api->regex_substitute(p, rule->real, path, m, MH_REGEX_MAX_MATCH);
        if (strcmp(found, rule->real) == 0) found = px_api->psprintf(p, "%s%s", rule->real, path);
        return finish_url(r, found, rule->params.nocanon);
    }
    size_t len = px_prefix_length(path, rule->fake);
    if (len == 0) return NULL;
    if (rule->real == NULL) return "";
    return finish_url(r, px_api->psprintf(p, "%s%s", rule->real, path + len), rule->params.nocanon);
}

/* "ProxyPass URL" inside <Location prefix>: the rest of the path after
 * the section's is appended. */
static const char *map_section(mh_request *r, const px_pass *rule)
{
    if (rule->real == NULL) return "";
    const char *path = match_path(r, rule->params.nocanon);
    const char *rest = path + px_prefix_length(path, rule->fake);
    return finish_url(r, px_api->psprintf(px_api->request_pool(r), "%s%s", rule->real, rest),
                      rule->params.nocanon);
}

/* Apache's location walk for a plain <Location>: a prefix that ends at a
 * segment boundary ("/app" covers "/app" and "/app/x", not "/apple"). */
static int location_covers(const char *path, const char *location)
{
    size_t n = strlen(location);
    if (n == 0 || strncmp(path, location, n) != 0) return 0;
    return location[n - 1] == '/' || path[n] == '/' || path[n] == '\0';
}

const px_pass *px_route(mh_request *r, const px_server_config *sc, const char **url)
{
    const px_pass *section = NULL;
    const char *path = px_api->request_path(r);
    for (const px_pass *rule = sc->section_passes; rule; rule = rule->next)
        if (location_covers(path, rule->fake)) section = rule;
    if (section) {
        *url = map_section(r, section);
        return section;
    }
    for (const px_pass *rule = sc->passes; rule; rule = rule->next) {
        const char *u = px_map(r, rule);
        if (u) {
            *url = u;
            return rule;
        }
    }
    return NULL;
}

static const char *reverse_one(mh_request *r, const px_reverse *list, const char *value)
{
    mh_pool *p = px_api->request_pool(r);
    for (const px_reverse *e = list; e; e = e->next) {
        size_t n = strlen(e->real);
        if (strncasecmp(value, e->real, n) != 0) continue;
        const char *rest = value + n;
        /* "ProxyPassReverse / http://b/" maps "http://b//x" to "/x", not "//x". */
        const char *local = (strcmp(e->fake, "/") == 0 && rest[0] == '/') ? rest
                                                                          : px_api->psprintf(p, "%s%s", e->fake, rest);
        if (local[0] != '/') return local;
        return px_api->construct_url(r, local);
    }
    return NULL;
}

const char *px_reverse_map(mh_request *r, const char *value)
{
    if (value == NULL) return NULL;
    const px_dir_config *d = px_api->dir_config(r, &proxy_module);
    const px_server_config *sc = px_api->server_config(px_api->request_server(r), &proxy_module);
    const char *mapped = d ? reverse_one(r, d->reverses, value) : NULL;
    if (mapped == NULL && sc) mapped = reverse_one(r, sc->reverses, value);
    return mapped ? mapped : value;
}
