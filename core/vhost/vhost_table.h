// Choosing the virtual host of a request, in Apache 2.4's two steps
// (vhost.c): the connection's local address and port pick a set of vhosts
// (an exact address first, then the ones on * for that port, then a * port;
// none: the main server), whose first one in the file is the default; then
// the Host names one of that set by ServerName or ServerAlias, else the
// default answers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct mh_server;

namespace mh {

class VhostTable {
public:
    // Built once the configuration is applied, from main.vhosts.
    explicit VhostTable(mh_server &main);

    // The set of vhosts for a connection to local_ip:local_port, or nullptr
    // when no <VirtualHost> covers it (the main server answers).
    struct Chain;
    const Chain *for_address(std::string_view local_ip, int local_port) const;
    // The request's server: a vhost of `chain` whose names match `host`
    // (normalised, "" when the request named none), else the chain's default.
    static mh_server *for_host(const Chain &chain, std::string_view host, int local_port);
    static mh_server *default_of(const Chain &chain);

    // Apache's -S listing of the address sets, "VirtualHost configuration:" excluded.
    std::string describe() const;

    struct Name {
        mh_server *server;
        int port;              // the address's port, 0 = any
        std::string written;   // <VirtualHost name:port>: the name as written
    };
    struct Chain {
        std::string ip;        // "" = any address
        int port;              // 0 = any
        mh_server *server;     // the default: first in the file
        std::vector<Name> names;  // every vhost on this address, in file order
    };

private:
    std::vector<Chain> exact_;     // numeric addresses
    std::vector<Chain> wildcard_;  // * and _default_
};

}  // namespace mh
