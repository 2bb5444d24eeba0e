// Building a <VirtualHost>: its addresses, its mh_server started from the
// main server's settings (the main server is applied first, so a vhost
// inherits even what the main server sets after it, as Apache's merge at
// the end of reading does), and the module configs merged at its end.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server.h"

namespace mh::vhost {

// <VirtualHost addr[:port] ...>: "*", "_default_", an IP, "[v6]" or a name
// (every address it resolves to). A missing port is ServerName's port, or
// any. Returns Apache's error text, or "" (a name that does not resolve is
// only warned about, as AH00547, and left out).
std::string parse_addresses(const std::vector<std::string> &args, int default_port,
                            std::vector<VhostAddress> &out,
                            const std::function<void(const std::string &)> &warn);

// What a vhost's own directives created, to merge over the main server's.
struct Own {
    std::vector<void *> dir;     // module index -> its top-level dir config, or nullptr
    std::vector<bool> server;    // module index -> a directive of it ran in the vhost
};

// A vhost with the main server's settings as they stand now.
std::unique_ptr<mh_server> start(mh_server &main);

// Merges what the vhost set over the main server's settings.
void finish(mh_server &v, const Own &own);

}  // namespace mh::vhost
