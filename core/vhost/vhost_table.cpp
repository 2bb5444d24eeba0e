#include "vhost/vhost_table.h"

#include <strings.h>

#include <cstdio>

#include "server.h"
#include "server_identity.h"
#include "vhost/host_match.h"

namespace mh {
namespace {

bool same_name(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Apache's matches_aliases: ServerName, then ServerAlias, then the wildcard ones.
bool names_match(const mh_server &s, std::string_view host)
{
    if (same_name(server_hostname(s), host)) return true;
    for (const std::string &a : s.server_aliases)
        if (same_name(a, host)) return true;
    for (const std::string &w : s.wild_aliases)
        if (vhost::wildcard_match(w, host)) return true;
    return false;
}

std::string where(const mh_server &s)
{
    return s.vhost_origin ? s.vhost_origin->file + ":" + std::to_string(s.vhost_origin->line) : "";
}

}  // namespace

VhostTable::VhostTable(mh_server &main)
{
    for (const std::unique_ptr<mh_server> &v : main.vhosts) {
        for (const VhostAddress &a : v->vhost_addresses) {
            std::vector<Chain> &list = a.ip.empty() ? wildcard_ : exact_;
            Chain *chain = nullptr;
            // Same address and the very same port (a * port and a number make
            // two IP-based sets, as in Apache).
            for (Chain &c : list)
                if (c.ip == a.ip && c.port == a.port) chain = &c;
            if (chain == nullptr) chain = &list.emplace_back(Chain{a.ip, a.port, v.get(), {}});
            chain->names.push_back(Name{v.get(), a.port, a.written});
        }
    }
}

const VhostTable::Chain *VhostTable::for_address(std::string_view local_ip, int local_port) const
{
    // An IPv4 client of a socket bound to [::] shows as ::ffff:a.b.c.d.
    if (local_ip.size() > 7 && strncasecmp(local_ip.data(), "::ffff:", 7) == 0 &&
        local_ip.find('.') != std::string_view::npos)
        local_ip.remove_prefix(7);
    const Chain *wild_port = nullptr;
    for (const Chain &c : exact_) {
        if (c.ip != local_ip) continue;
        if (c.port == local_port) return &c;
        if (c.port == 0 && wild_port == nullptr) wild_port = &c;
    }
    if (wild_port) return wild_port;
    for (const Chain &c : wildcard_) {
        if (c.port == local_port) return &c;
        if (c.port == 0 && wild_port == nullptr) wild_port = &c;
    }
    return wild_port;
}

mh_server *VhostTable::default_of(const Chain &chain) { return chain.server; }

mh_server *VhostTable::for_host(const Chain &chain, std::string_view host, int local_port)
{
    // A set of one is IP-based: no names to compare.
    if (chain.names.size() < 2 || host.empty()) return chain.server;
    mh_server *by_address_name = nullptr;
    const mh_server *last = nullptr;
    for (const Name &n : chain.names) {
        if (n.port != 0 && n.port != local_port) continue;
        if (n.server != last && names_match(*n.server, host)) return n.server;
        last = n.server;
        // Apache's fallback: the name written in <VirtualHost name:port>.
        if (by_address_name == nullptr && same_name(n.written, host)) by_address_name = n.server;
    }
    return by_address_name ? by_address_name : chain.server;
}

std::string VhostTable::describe() const
{
    std::string out;
    char buf[1024];
    auto dump = [&](const Chain &c) {
        std::string addr = VhostAddress{c.ip, c.port, ""}.text();
        if (c.names.size() < 2) {
            snprintf(buf, sizeof buf, "%-22s %s (%s)\n", addr.c_str(), server_hostname(*c.server).c_str(),
                     where(*c.server).c_str());
            out += buf;
            return;
        }
        snprintf(buf, sizeof buf, "%-22s is a NameVirtualHost\n%8s default server %s (%s)\n", addr.c_str(), "",
                 server_hostname(*c.server).c_str(), where(*c.server).c_str());
        out += buf;
        for (const Name &n : c.names) {
            if (n.port) snprintf(buf, sizeof buf, "%8s port %d ", "", n.port);
            else snprintf(buf, sizeof buf, "%8s port * ", "");
            out += buf;
            snprintf(buf, sizeof buf, "namevhost %s (%s)\n", server_hostname(*n.server).c_str(), where(*n.server).c_str());
            out += buf;
            for (const std::string &a : n.server->server_aliases) {
                snprintf(buf, sizeof buf, "%16s alias %s\n", "", a.c_str());
                out += buf;
            }
            for (const std::string &a : n.server->wild_aliases) {
                snprintf(buf, sizeof buf, "%16s wild alias %s\n", "", a.c_str());
                out += buf;
            }
        }
    };
    // Apache lists the numeric addresses (in hash order), then the wildcard
    // ones; here both in file order.
    for (const Chain &c : exact_) dump(c);
    for (const Chain &c : wildcard_) dump(c);
    return out;
}

std::string VhostAddress::text() const
{
    std::string h = ip.empty() ? "*" : ip.find(':') != std::string::npos ? "[" + ip + "]" : ip;
    return h + ":" + (port ? std::to_string(port) : "*");
}

}  // namespace mh
