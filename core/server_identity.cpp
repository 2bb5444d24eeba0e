#include "server_identity.h"

#include <unistd.h>

#include "modhttpd/version.h"
#include "server.h"

namespace mh {

const char *server_version() { return "modhttpd/" MODHTTPD_VERSION_STRING; }

std::string_view server_banner(const mh_server &s)
{
    return s.core.server_tokens_full ? std::string_view(server_version()) : std::string_view("modhttpd");
}

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

const char *server_built() { return __DATE__ " " __TIME__; }

}  // namespace mh
