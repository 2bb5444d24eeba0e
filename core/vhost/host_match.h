// Matching a request's host against ServerName and ServerAlias, as Apache's
// vhost.c does: names compare without case, a ServerAlias may hold the
// wildcards * (any run of characters, dots too) and ?, and the host the
// client sent is first normalised (lower case, no port, no trailing dot).
#pragma once

#include <string>
#include <string_view>

namespace mh::vhost {

// "WWW.Example.COM." -> "www.example.com"; "[::1]" -> "::1" (the port is
// already gone: pipeline::begin strips it).
std::string normalize_host(std::string_view host);

// True when `name` holds * or ?.
bool has_wildcard(std::string_view name);

// Apache's ap_strcasecmp_match: `pattern` against `host`, without case.
bool wildcard_match(std::string_view pattern, std::string_view host);

}  // namespace mh::vhost
