// What every CGI-speaking module needs (Apache's util_script.c): the
// meta-variables a script is given (ap_add_common_vars, ap_add_cgi_vars)
// and the header block it answers with (ap_scan_script_header_err_core).
// mod_cgi and mod_proxy_fcgi both use them. Written on top of the services
// table itself, so that they see the request exactly as a module does.
#include <strings.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/api_parts.h"

namespace mh::api_parts {
namespace {

// Apache's DEFAULT_PATH, for a server started without PATH.
constexpr const char *kDefaultPath = "/bin:/usr/bin:/usr/ucb:/usr/bsd:/usr/local/bin";
// A header line longer than this is refused (Apache's MAX_STRING_LEN).
constexpr size_t kLineMax = 8192;

void set(mh_table *env, const char *name, const char *value)
{
    if (value) api()->table_set(env, name, value);
}

struct HeaderVars {
    mh_request *r;
    mh_table *env;
    std::vector<std::string> made;  // HTTP_* names set from a header so far
};

// HTTP_<NAME>, as Apache's http2env: letters upper-cased, '-' as '_'; a
// name with any other character is not exported (so that "X_Foo" cannot
// pose as "X-Foo"). A repeated header is one variable, ", "-joined.
int add_header_var(void *data, const char *name, const char *value)
{
    auto *h = static_cast<HeaderVars *>(data);
    const mh_api &a = *api();
    if (strcasecmp(name, "Content-Type") == 0) return set(h->env, "CONTENT_TYPE", value), 0;
    if (strcasecmp(name, "Content-Length") == 0) return set(h->env, "CONTENT_LENGTH", value), 0;
    // Credentials stay with the server (Apache without CGIPassAuth); Proxy
    // would become HTTP_PROXY, which clients read as their proxy (httpoxy).
    if (strcasecmp(name, "Authorization") == 0 || strcasecmp(name, "Proxy-Authorization") == 0 ||
        strcasecmp(name, "Proxy") == 0)
        return 0;
    std::string env = "HTTP_";
    for (const char *c = name; *c; ++c) {
        unsigned char ch = static_cast<unsigned char>(*c);
        if (std::isalnum(ch)) {
            env += static_cast<char>(std::toupper(ch));
        } else if (ch == '-') {
            env += '_';
        } else {
            a.log_error(nullptr, MH_LOG_DEBUG, 0, nullptr, h->r,
                        "AH02019: Not exporting header with invalid name as envvar: %s", name);
            return 0;
        }
    }
    bool repeated = false;
    for (const auto &m : h->made) repeated = repeated || m == env;
    const char *old = repeated ? a.table_get(h->env, env.c_str()) : nullptr;
    if (old) {
        set(h->env, env.c_str(), a.psprintf(a.request_pool(h->r), "%s, %s", old, value));
    } else {
        set(h->env, env.c_str(), value);
        h->made.push_back(env);
    }
    return 0;
}

// SCRIPT_NAME: the URL path without its path_info.
const char *script_name(mh_request *r, const char *info)
{
    const mh_api &a = *api();
    const char *path = a.request_path(r);
    size_t n = std::strlen(path), k = std::strlen(info);
    if (k == 0 || k > n || std::strcmp(path + n - k, info) != 0) return path;
    return a.pstrndup(a.request_pool(r), path, n - k);
}

// A TLS connection's variables: HTTPS=on and the SSL_* ones mod_ssl sets
// with Apache's "SSLOptions +StdEnvVars", without the certificates'.
void add_tls_vars(mh_request *r, mh_table *env)
{
    static const char *const kNames[] = {
        "HTTPS", "SSL_PROTOCOL", "SSL_CIPHER", "SSL_CIPHER_USEKEYSIZE", "SSL_CIPHER_ALGKEYSIZE",
        "SSL_CIPHER_EXPORT", "SSL_COMPRESS_METHOD", "SSL_SECURE_RENEG", "SSL_SESSION_RESUMED",
        "SSL_TLS_SNI", "SSL_VERSION_INTERFACE", "SSL_VERSION_LIBRARY", "SSL_CLIENT_VERIFY",
    };
    for (const char *name : kNames)
        if (const char *value = api()->connection_var(r, name)) set(env, name, value);
}

void add_cgi_vars(mh_request *r, mh_table *env)
{
    const mh_api &a = *api();
    if (r == nullptr || env == nullptr) return;
    mh_pool *p = a.request_pool(r);
    mh_server *s = a.request_server(r);
    HeaderVars h{r, env, {}};
    a.headers_in_each(r, add_header_var, &h);

    const char *path = std::getenv("PATH");
    set(env, "PATH", path ? path : kDefaultPath);
    set(env, "SERVER_SIGNATURE", a.server_signature(r, ""));
    set(env, "SERVER_SOFTWARE", a.server_version);
    set(env, "SERVER_NAME", a.request_server_name(r));
    set(env, "SERVER_ADDR", a.local_ip(r));
    set(env, "SERVER_PORT", a.psprintf(p, "%d", a.request_server_port(r)));
    set(env, "REMOTE_ADDR", a.client_ip(r));
    set(env, "DOCUMENT_ROOT", a.document_root(r));
    const char *https = a.connection_var(r, "HTTPS");
    bool secure = https && std::strcmp(https, "on") == 0;
    set(env, "REQUEST_SCHEME", secure ? "https" : "http");
    add_tls_vars(r, env);
    set(env, "CONTEXT_PREFIX", a.context_prefix(r));
    set(env, "CONTEXT_DOCUMENT_ROOT", a.context_document_root(r));
    const char *admin = a.server_admin(s);
    set(env, "SERVER_ADMIN", admin && *admin ? admin : "[no address given]");
    set(env, "SCRIPT_FILENAME", a.filename(r));
    set(env, "REMOTE_PORT", a.psprintf(p, "%d", a.client_port(r)));
    if (const char *user = a.user(r)) {
        set(env, "REMOTE_USER", user);
        set(env, "AUTH_TYPE", a.auth_type(r));
    }

    set(env, "GATEWAY_INTERFACE", "CGI/1.1");
    set(env, "SERVER_PROTOCOL", a.request_protocol(r));
    set(env, "REQUEST_METHOD", a.request_method(r));
    const char *query = a.request_query(r);
    set(env, "QUERY_STRING", query ? query : "");
    set(env, "REQUEST_URI", a.request_target(r));
    const char *info = a.path_info(r);
    set(env, "SCRIPT_NAME", script_name(r, info));
    if (*info) {
        set(env, "PATH_INFO", info);
        // Apache maps PATH_INFO as a URL of its own (a subrequest); here
        // onto DocumentRoot, as the core maps a URL no Alias takes.
        set(env, "PATH_TRANSLATED", a.psprintf(p, "%s%s", a.document_root(r), info));
    }
}

int malformed(mh_request *r, const char *who, const char *why, const char *line)
{
    api()->log_error(nullptr, MH_LOG_ERR, 0, nullptr, r, "AH01221: malformed header from script '%s': %s: %.30s",
                     who, why, line);
    return 500;
}

bool is_token_char(unsigned char c) { return std::isalnum(c) || (c && std::strchr("!#$%&'*+-.^_`|~", c)); }

// Hop-by-hop and framing: the server decides them for its own connection.
bool dropped(const char *name)
{
    static const char *const names[] = {"Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade",
                                        "Proxy-Connection", "TE", "Trailer"};
    for (const char *n : names)
        if (strcasecmp(name, n) == 0) return true;
    return false;
}

// One field: MH_OK, or 500 (logged).
int apply_one(mh_request *r, const char *who, const char *name, const char *value)
{
    const mh_api &a = *api();
    if (strcasecmp(name, "Status") == 0) {
        char *end;
        long status = std::strtol(value, &end, 10);
        if (end - value != 3 || status < 200 || status > 599 || (*end && *end != ' ' && *end != '\t')) {
            a.log_error(nullptr, MH_LOG_ERR, 0, nullptr, r, "Invalid status line from script '%s': %.30s", who,
                        value);
            return 500;
        }
        a.set_status(r, static_cast<int>(status));
    } else if (strcasecmp(name, "Content-Type") == 0) {
        a.set_content_type(r, value);
    } else if (strcasecmp(name, "Content-Length") == 0) {
        char *end;
        long long n = std::strtoll(value, &end, 10);
        if (*value >= '0' && *value <= '9' && *end == '\0' && n >= 0) a.set_content_length(r, n);
    } else if (strcasecmp(name, "Location") == 0) {
        a.header_out_set(r, "Location", value);
    } else if (strcasecmp(name, "Set-Cookie") == 0) {
        a.table_add(a.err_headers_out(r), name, value);
    } else if (!dropped(name)) {
        a.header_out_add(r, name, value);
    }
    return MH_OK;
}

int scan_script_header(mh_request *r, int (*getline)(void *data, char *buf, size_t n), void *data,
                       const char *who)
{
    const mh_api &a = *api();
    if (r == nullptr || getline == nullptr) return 500;
    if (who == nullptr) who = "";
    mh_pool *p = a.request_pool(r);
    char buf[kLineMax];
    char *name = nullptr, *value = nullptr;  // the field being read, applied once the next starts
    bool location = false;
    for (;;) {
        int got = getline(data, buf, sizeof buf);
        if (got == 0) {
            a.log_error(nullptr, MH_LOG_ERR, 0, nullptr, r, "AH01215: End of script output before headers: %s",
                        who);
            return 500;
        }
        if (got != 1) return got;
        buf[sizeof buf - 1] = '\0';
        size_t len = std::strlen(buf);
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = '\0';
        if (len >= sizeof buf - 1) return malformed(r, who, "Bad header (too long)", buf);
        if ((buf[0] == ' ' || buf[0] == '\t') && name) {
            const char *more = buf;
            while (*more == ' ' || *more == '\t') ++more;
            value = a.psprintf(p, "%s %s", value, more);
            continue;
        }
        if (name) {
            if (apply_one(r, who, name, value) != MH_OK) return 500;
            location = location || strcasecmp(name, "Location") == 0;
        }
        if (len == 0) break;  // the blank line
        char *line = a.pstrdup(p, buf);
        char *colon = std::strchr(line, ':');
        if (colon == nullptr || colon == line) return malformed(r, who, "Bad header", line);
        for (char *c = line; c < colon; ++c)
            if (!is_token_char(static_cast<unsigned char>(*c))) return malformed(r, who, "Bad header", line);
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t') ++v;
        size_t vl = std::strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) v[--vl] = '\0';
        name = line;
        value = v;
    }
    return location && a.status(r) == 200 ? MH_SCRIPT_REDIRECT : MH_OK;
}

}  // namespace

void fill_cgi(mh_api &a)
{
    a.add_cgi_vars = add_cgi_vars;
    a.scan_script_header = scan_script_header;
}

}  // namespace mh::api_parts
