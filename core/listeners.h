// The listening sockets. They belong to the core, not to the MPM: bound once
// in the master (as root, before privileges are dropped), kept open across
// restarts while their address stays in the configuration, so no restart
// ever refuses a connection.
#pragma once

#include <string>
#include <vector>

#include "server_config.h"

namespace mh {

struct Listener {
    ListenAddress address;
    int fd = -1;
    std::string name;  // "127.0.0.1:8080"
};

class Listeners {
public:
    // Makes the open set match `wanted`: keeps unchanged addresses, binds
    // new ones, closes the rest. On failure nothing changes and `error`
    // holds Apache's message, e.g. "(98)Address already in use: AH00072:
    // make_sock: could not bind to address 127.0.0.1:80".
    bool update(const std::vector<ListenAddress> &wanted, int backlog, std::string &error);
    void close_all();
    const std::vector<Listener> &all() const { return open_; }

private:
    std::vector<Listener> open_;
};

Listeners &listeners();

}  // namespace mh
