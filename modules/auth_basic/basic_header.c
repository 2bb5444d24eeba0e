/*
 * The Basic credentials of a request (RFC 7617), read as Apache's
 * get_basic_auth and apr_base64_decode read them, and the challenge sent
 * when they are missing or wrong.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "auth_basic.h"

/* The value of a base64 digit, or 64 for anything else ('=' included). */
static unsigned sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return 64;
}

/* apr_base64_decode: the digits up to the first non-digit, as a string
 * (a NUL inside ends it, as it does for Apache). */
static char *base64_decode(mh_pool *p, const char *in)
{
    size_t n = 0;
    while (sextet((unsigned char)in[n]) < 64) ++n;
    char *out = ab_api->palloc(p, n / 4 * 3 + 3 + 1), *o = out;
    const unsigned char *s = (const unsigned char *)in;
    for (; n >= 4; s += 4, n -= 4) {
        unsigned v = sextet(s[0]) << 18 | sextet(s[1]) << 12 | sextet(s[2]) << 6 | sextet(s[3]);
        *o++ = (char)(v >> 16), *o++ = (char)(v >> 8), *o++ = (char)v;
    }
    if (n >= 2) *o++ = (char)(sextet(s[0]) << 2 | sextet(s[1]) >> 4); /* n == 1 is an error: ignored */
    if (n >= 3) *o++ = (char)(sextet(s[1]) << 4 | sextet(s[2]) >> 2);
    *o = '\0';
    return out;
}

/* Apache's ap_escape_quotes, as mod_authn_core applies it to AuthName:
 * a bare " becomes \" so that the realm stays one quoted-string. */
static char *escape_quotes(mh_pool *p, const char *s)
{
    char *out = ab_api->palloc(p, 2 * strlen(s) + 1), *o = out;
    while (*s) {
        if (*s == '"') *o++ = '\\';
        if (*s == '\\' && s[1]) *o++ = *s++;
        *o++ = *s++;
    }
    *o = '\0';
    return out;
}

void ab_note_failure(mh_request *r)
{
    const char *realm = ab_api->auth_name(r);
    mh_pool *p = ab_api->request_pool(r);
    ab_api->table_set(ab_api->err_headers_out(r), "WWW-Authenticate",
                      ab_api->psprintf(p, "Basic realm=\"%s\"", escape_quotes(p, realm ? realm : "")));
}

int ab_credentials(mh_request *r, const char **user, const char **password)
{
    const char *line = ab_api->header_in(r, "Authorization");
    if (line == NULL) {
        ab_note_failure(r);
        return 401;
    }
    size_t scheme = strcspn(line, " ");
    if (scheme != 5 || strncasecmp(line, "Basic", 5) != 0) {
        ab_api->log_error(ab_self, MH_LOG_ERR, 0, NULL, r, "AH01614: client used wrong authentication scheme: %s",
                          ab_api->request_path(r));
        ab_note_failure(r);
        return 401;
    }
    line += scheme;
    while (*line == ' ' || *line == '\t') ++line;
    char *decoded = base64_decode(ab_api->request_pool(r), line);
    char *colon = strchr(decoded, ':');
    if (colon) *colon = '\0';
    *user = decoded;
    *password = colon ? colon + 1 : "";
    /* Known from here on, right or wrong, as Apache does: the access log's
     * %u shows who tried. */
    ab_api->set_user(r, decoded);
    return MH_OK;
}
