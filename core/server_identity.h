// How the server names itself: the Server header, -v, error pages and the
// signature under them.
#pragma once

#include <string>
#include <string_view>

struct mh_server;
struct mh_request;

namespace mh {

// "modhttpd/0.1.0"
const char *server_version();
// The Server header value under ServerTokens: "modhttpd" (Prod), "modhttpd/0"
// (Major), "modhttpd/0.1" (Minor), "modhttpd/0.1.0" (Min), and with " (Unix)"
// for OS and Full, as Apache's banner.
std::string_view server_banner(const mh_server &s);
// ServerName's host, or this machine's name when it is not set.
const std::string &server_hostname(const mh_server &s);
// Apache's ap_psignature: under ServerSignature On or EMail, `prefix` and
// "<address>modhttpd/0.1.0 (Unix) Server at HOST Port N</address>\n" (the
// host a mailto: link to ServerAdmin with EMail); "" when Off. The host and
// port are the ones the client asked for (UseCanonicalName Off).
std::string server_signature(const mh_request &r, std::string_view prefix);
// "http://host[:port]" of the request, for redirects (Apache's
// ap_construct_url under UseCanonicalName Off): the host the client asked
// for, lower-cased (ServerName when its Host is missing or holds anything
// but a name or address); the port only when the client named one other
// than 80. Apache adds the connection's port when the client named none,
// which behind a proxy that forwards :80 to :8080 sends clients to :8080.
// UseCanonicalName On: "http://ServerName[:port]" with the vhost's
// ServerName and port (the connection's when ServerName has none); DNS: the
// address the client connected to.
std::string self_url(const mh_request &r);
// Apache's ap_get_server_name and ap_get_server_port: SERVER_NAME and
// SERVER_PORT, %V in LogFormat. Off (the default): the Host the client sent,
// else ServerName; the port it named, else the connection's. On: ServerName
// and its port, else the connection's. DNS: the local address, unresolved.
const char *request_server_name(const mh_request &r);
int request_server_port(const mh_request &r);
// When and how this binary was built, for -V and mod_status.
const char *server_built();

}  // namespace mh
