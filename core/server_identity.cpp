#include "server_identity.h"

#include <unistd.h>

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

// The port the client named in Host, else the one it connected to.
int request_port(const mh_request &r)
{
    const char *host_header = r.headers_in.get("Host");
    std::string_view host = host_header ? host_header : "";
    size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos) {
        int port = 0;
        for (char c : host.substr(colon + 1)) {
            if (c < '0' || c > '9' || port > 65535) return r.conn ? r.conn->local_port() : 0;
            port = port * 10 + (c - '0');
        }
        if (port > 0 && port <= 65535) return port;
    }
    return r.conn ? r.conn->local_port() : 0;
}

}  // namespace

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
