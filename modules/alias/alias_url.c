/*
 * URLs for redirects, built the way Apache 2.4 builds them: the same
 * escaping (ap_os_escape_path, lower-case hex), the same re-parse of a
 * substituted URL (apr_uri_parse/unparse), the same absolute form of a
 * local target (ap_construct_url, UseCanonicalName Off).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "alias.h"

int al_is_url(const char *s)
{
    size_t i = 0;
    for (; s[i] != ':'; ++i)
        if (s[i] == '\0' || (!isalnum((unsigned char)s[i]) && !strchr("+-.", s[i]))) return 0;
    return i > 0;
}

static int plain_path_char(unsigned char c)
{
    return isalnum(c) || (c != '\0' && strchr("$-_.+!*'(),:;@&=/~", c) != NULL);
}

/* Escapes [s, s + n). */
static char *escape_n(mh_pool *p, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *out = al_api->palloc(p, 3 * n + 1), *d = out;
    for (size_t i = 0; i < n; ++i) {
        unsigned char c = (unsigned char)s[i];
        if (plain_path_char(c)) {
            *d++ = (char)c;
        } else {
            *d++ = '%';
            *d++ = hex[c >> 4];
            *d++ = hex[c & 15];
        }
    }
    *d = '\0';
    return out;
}

char *al_escape_path(mh_pool *p, const char *s)
{
    return escape_n(p, s, strlen(s));
}

/* Is ":port" (digits only, maybe none) the scheme's default? */
static int default_port(const char *scheme, size_t n, const char *port, size_t plen)
{
    if (strspn(port, "0123456789") < plen) return 0; /* not a port: apr keeps it */
    while (plen > 1 && *port == '0') port++, plen--;
    const char *want = n == 4 && strncasecmp(scheme, "http", 4) == 0    ? "80"
                       : n == 5 && strncasecmp(scheme, "https", 5) == 0 ? "443"
                       : n == 3 && strncasecmp(scheme, "ftp", 3) == 0   ? "21"
                                                                        : NULL;
    if (plen == 0 || (plen == 1 && *port == '0')) return 1; /* apr: no port, or port 0 */
    return want && strlen(want) == plen && strncmp(port, want, plen) == 0;
}

/* Length of the scheme before ':' (a letter, then letters, digits, + - .),
 * or 0 when `s` has none. */
static size_t scheme_length(const char *s)
{
    if (!isalpha((unsigned char)s[0])) return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.') i++;
    return s[i] == ':' ? i : 0;
}

/* The ':' before the port in the authority [auth, end), or NULL. */
static const char *port_colon(const char *auth, const char *end)
{
    const char *host = auth;
    for (const char *c = auth; c < end; ++c)
        if (*c == '@') host = c + 1; /* the last '@' ends the user part */
    if (*host == '[') { /* an IPv6 literal */
        const char *close = memchr(host, ']', (size_t)(end - host));
        return close && close + 1 < end && close[1] == ':' ? close + 1 : NULL;
    }
    return memchr(host, ':', (size_t)(end - host));
}

char *al_escape_url(mh_pool *p, const char *url)
{
    size_t scheme = scheme_length(url);
    const char *auth = NULL;
    if (scheme && url[scheme + 1] == '/' && url[scheme + 2] == '/') auth = url + scheme + 3;
    else if (!scheme && url[0] == '/' && url[1] == '/' && url[2] != '/') auth = url + 2;
    const char *path = auth ? auth + strcspn(auth, "/?#") : url + (scheme ? scheme + 1 : 0);
    const char *end = path + strcspn(path, "?#");
    const char *cut = path; /* [url, cut) + [path, end) is what gets escaped */
    if (auth) {
        const char *colon = port_colon(auth, path);
        if (colon && default_port(url, scheme, colon + 1, (size_t)(path - colon - 1))) cut = colon;
    }
    char *head = al_api->psprintf(p, "%.*s%.*s", (int)(cut - url), url, (int)(end - path), path);
    /* The query and the fragment are not escaped. */
    return al_api->psprintf(p, "%s%s", al_escape_path(p, head), end);
}

int al_redirect(mh_request *r, const char *target, int status)
{
    if (status < 100 || status > 599) {
        al_api->log_error(&alias_module, MH_LOG_ERR, 0, NULL, r, "Redirect with invalid status %d for %s", status,
                          al_api->request_path(r));
        return 500;
    }
    if (status < 300 || status > 399) return status; /* gone and friends: no Location */
    mh_pool *p = al_api->request_pool(r);
    const char *uri = al_api->request_path(r);
    if (target[0] == '/') {
        const char *local = target;
        target = al_api->construct_url(r, target);
        al_api->log_error(&alias_module, MH_LOG_DEBUG, 0, NULL, r,
                          "AH00673: incomplete redirection target of '%s' for URI '%s' modified to '%s'", local, uri,
                          target);
    }
    if (!al_is_url(target)) {
        al_api->log_error(&alias_module, MH_LOG_ERR, 0, NULL, r,
                          "AH00674: cannot redirect '%s' to '%s'; target is not a valid absoluteURI or abs_path",
                          uri, target);
        return 500;
    }
    /* The request's query goes along unless the target brings its own. */
    const char *query = al_api->request_query(r);
    if (query && !strchr(target, '?')) target = al_api->psprintf(p, "%s?%s", target, query);
    al_api->header_out_set(r, "Location", target);
    return status;
}
