// How the server names itself: the Server header, -v, error pages.
#pragma once

#include <string>
#include <string_view>

struct mh_server;

namespace mh {

// "modhttpd/0.1.0"
const char *server_version();
// The Server header value under ServerTokens.
std::string_view server_banner(const mh_server &s);
// ServerName's host, or this machine's name when it is not set.
const std::string &server_hostname(const mh_server &s);
// When and how this binary was built, for -V and mod_status.
const char *server_built();

}  // namespace mh
