#include "server_identity.h"

#include <strings.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

#include <array>

#include "connection/connection.h"
#include "http/request_head.h"
#include "modhttpd/version.h"
#include "request/request.h"
#include "server.h"
#include "util/escape.h"

namespace mh {
namespace {

// The version cut after its `parts`-th number: "0.1.0", 1 -> "0".
std::string version_prefix(int parts)
{
    std::string v = MODHTTPD_VERSION_STRING;
    size_t end = 0;
    for (int i = 0; i < parts && end != std::string::npos; ++i) end = v.find('.', end ? end + 1 : 0);
    return end == std::string::npos ? v : v.substr(0, end);
}

const std::array<std::string, 6> &banners()
{
    static const std::array<std::string, 6> b = {
        "modhttpd",                                        // Prod
        "modhttpd/" + version_prefix(1),                   // Major
        "modhttpd/" + version_prefix(2),                   // Minor
        std::string("modhttpd/") + MODHTTPD_VERSION_STRING,  // Minimal
        std::string("modhttpd/") + MODHTTPD_VERSION_STRING + " (Unix)",  // OS
        std::string("modhttpd/") + MODHTTPD_VERSION_STRING + " (Unix)",  // Full: no module adds to it yet
    };
    return b;
}

// The digits of the port the client named (Host, or an absolute-form
// target), or "" when it named none or not a number.
std::string_view named_port(const mh_request &r)
{
    std::string_view target = r.target ? r.target : "";
    std::string_view hp;
    if (target.size() >= 7 && strncasecmp(target.data(), "http://", 7) == 0) {
        hp = target.substr(7);
    } else if (target.size() >= 8 && strncasecmp(target.data(), "https://", 8) == 0) {
        hp = target.substr(8);
    } else {
        const char *host = r.headers_in.get("Host");
        hp = host ? host : "";
    }
    size_t end = hp.empty() || hp[0] != '[' ? hp.find_first_of(":/") : hp.find(']');
    if (end == std::string_view::npos) return {};
    if (hp[0] == '[') ++end;  // past the IPv6 literal's ']'
    if (end >= hp.size() || hp[end] != ':') return {};
    std::string_view digits = hp.substr(end + 1);
    size_t n = 0;
    while (n < digits.size() && digits[n] >= '0' && digits[n] <= '9') ++n;
    if (n < digits.size() && digits[n] != '/' && digits[n] != '?') return {};
    return digits.substr(0, n);
}

// The port the client named (Host, or an absolute-form target), else the
// one it connected to.
int request_port(const mh_request &r)
{
    int port = 0;
    for (char c : named_port(r)) {
        port = port * 10 + (c - '0');
        if (port > 65535) break;
    }
    if (port > 0 && port <= 65535) return port;
    return r.conn ? r.conn->local_port() : 0;
}

// A request on a TLS connection: https, 443 by default (Apache's ap_http_scheme
// and ap_default_port, which mod_ssl answers).
bool secure(const mh_request &r) { return r.conn && r.conn->secure(); }
const char *scheme(const mh_request &r) { return secure(r) ? "https://" : "http://"; }
int default_port(const mh_request &r) { return secure(r) ? 443 : 80; }

bool usable_host(const char *host)
{
    if (host == nullptr || *host == '\0') return false;
    for (const char *c = host; *c; ++c)
        if (!isalnum(static_cast<unsigned char>(*c)) && !strchr(".-_:", *c)) return false;
    return true;
}

CanonicalName canonical_name(const mh_request &r)
{
    const CoreDirConfig &dir = r.dir ? r.dir->core : r.server->root_dir;
    return dir.use_canonical_name.value_or(CanonicalName::Off);
}

}  // namespace

const char *request_server_name(const mh_request &r)
{
    switch (canonical_name(r)) {
    case CanonicalName::On: break;
    case CanonicalName::Dns:
        if (r.conn && *r.conn->local_ip()) return r.conn->local_ip();
        break;
    case CanonicalName::Off:
        if (r.hostname && *r.hostname) return r.hostname;
        break;
    }
    return server_hostname(*r.server).c_str();
}

int request_server_port(const mh_request &r)
{
    int local = r.conn ? r.conn->local_port() : 0;
    if (canonical_name(r) == CanonicalName::On) return r.server->core.server_port ? r.server->core.server_port : local ? local : 80;
    return request_port(r);
}

std::string self_url(const mh_request &r)
{
    if (CanonicalName c = canonical_name(r); c != CanonicalName::Off) {
        std::string host = request_server_name(r);
        int port = request_server_port(r);
        std::string url = scheme(r) + (host.find(':') != std::string::npos ? "[" + host + "]" : host);
        return port == default_port(r) ? url : url + ":" + std::to_string(port);
    }
    std::string host = usable_host(r.hostname) ? r.hostname : server_hostname(*r.server);
    for (char &c : host) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    bool v6 = host.find(':') != std::string::npos;
    std::string url = scheme(r);
    url += v6 ? "[" + host + "]" : host;
    std::string_view port = named_port(r);
    if (!port.empty() && port != std::to_string(default_port(r))) {
        url += ':';
        url += port;
    }
    return url;
}

const char *server_version() { return "modhttpd/" MODHTTPD_VERSION_STRING; }

std::string_view server_banner(const mh_server &s) { return banners()[static_cast<size_t>(s.core.server_tokens)]; }

const std::string &server_hostname(const mh_server &s)
{
    if (!s.core.server_name.empty()) return s.core.server_name;
    static const std::string host = [] {
        char buf[256] = "localhost";
        gethostname(buf, sizeof buf - 1);
        return std::string(buf);
    }();
    return host;
}

std::string server_signature(const mh_request &r, std::string_view prefix)
{
    const CoreDirConfig &dir = r.dir ? r.dir->core : r.server->root_dir;
    ServerSignature sig = dir.server_signature.value_or(ServerSignature::Off);
    if (sig == ServerSignature::Off) return "";
    std::string host = escape_html(r.hostname && *r.hostname ? r.hostname : server_hostname(*r.server));
    std::string out(prefix);
    out += "<address>";
    out += server_banner(*r.server);
    out += " Server at ";
    const std::string &admin = r.server->core.server_admin;
    if (sig == ServerSignature::EMail && !admin.empty()) {
        out += "<a href=\"";
        if (admin.find(':') == std::string::npos) out += "mailto:";
        out += escape_html(admin) + "\">" + host + "</a>";
    } else {
        out += host;
    }
    out += " Port " + std::to_string(request_port(r)) + "</address>\n";
    return out;
}

const char *server_built() { return __DATE__ " " __TIME__; }

}  // namespace mh
