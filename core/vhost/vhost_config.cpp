#include "vhost/vhost_config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <strings.h>

#include <cstdlib>

namespace mh::vhost {
namespace {

// Numeric form of an address, or "" when `host` is not one.
std::string numeric(const std::string &host)
{
    unsigned char buf[sizeof(in6_addr)];
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, host.c_str(), buf) == 1) return inet_ntop(AF_INET, buf, text, sizeof text);
    if (inet_pton(AF_INET6, host.c_str(), buf) == 1) return inet_ntop(AF_INET6, buf, text, sizeof text);
    return "";
}

std::vector<std::string> resolve(const std::string &name)
{
    std::vector<std::string> out;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0) return out;
    for (addrinfo *a = res; a; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN];
        const void *addr = a->ai_family == AF_INET ? static_cast<const void *>(&reinterpret_cast<sockaddr_in *>(a->ai_addr)->sin_addr)
                                                   : static_cast<const void *>(&reinterpret_cast<sockaddr_in6 *>(a->ai_addr)->sin6_addr);
        if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) && inet_ntop(a->ai_family, addr, text, sizeof text)) {
            bool seen = false;
            for (const std::string &o : out) seen |= o == text;
            if (!seen) out.emplace_back(text);
        }
    }
    freeaddrinfo(res);
    return out;
}

}  // namespace

std::string parse_addresses(const std::vector<std::string> &args, int default_port, std::vector<VhostAddress> &out,
                            const std::function<void(const std::string &)> &warn)
{
    for (const std::string &w : args) {
        std::string host, port;
        bool has_port = false;
        if (!w.empty() && w.front() == '[') {
            size_t close = w.find(']');
            if (close == std::string::npos || (close + 1 < w.size() && w[close + 1] != ':'))
                return "The address or port is invalid";
            host = w.substr(1, close - 1);
            has_port = close + 1 < w.size();
            if (has_port) port = w.substr(close + 2);
            if (host.find('%') != std::string::npos) return "Scope ids are not supported";
        } else if (size_t colon = w.rfind(':'); colon != std::string::npos) {
            if (w.find(':') != colon) {
                host = w;  // a bare IPv6 address: no port
            } else {
                host = w.substr(0, colon);
                port = w.substr(colon + 1);
                has_port = true;
            }
        } else {
            host = w;
        }
        if (host.empty()) return "Missing address for VirtualHost";
        VhostAddress a;
        a.written = host;
        if (!has_port) {
            a.port = default_port;
        } else if (port == "*") {
            a.port = 0;
        } else {
            char *end = nullptr;
            long p = port.empty() ? 0 : strtol(port.c_str(), &end, 10);
            if (port.empty() || *end != '\0' || p < 1 || p > 65535) return "The address or port is invalid";
            a.port = static_cast<int>(p);
        }
        if (host == "*" || strcasecmp(host.c_str(), "_default_") == 0) {
            out.push_back(a);
            continue;
        }
        std::vector<std::string> ips;
        if (std::string n = numeric(host); !n.empty()) ips.push_back(n);
        else ips = resolve(host);
        if (ips.empty()) {
            warn("AH00547: Could not resolve host name " + host + " -- ignoring!");
            continue;
        }
        for (const std::string &ip : ips) {
            // 0.0.0.0 and :: are Apache's wildcard too.
            a.ip = ip == "0.0.0.0" || ip == "::" ? "" : ip;
            out.push_back(a);
        }
    }
    return "";
}

std::unique_ptr<mh_server> start(mh_server &main)
{
    auto v = std::make_unique<mh_server>(4096);
    v->main_server = &main;
    v->generation = main.generation;
    v->config_file = main.config_file;
    v->core = main.core;
    v->core.custom_logs.clear();  // none of its own: it logs to the main server's
    v->core.listen.clear();       // only the main server binds
    v->root_dir = main.root_dir;
    v->root_module_dir = main.root_module_dir;
    v->modules = main.modules;
    v->sections = main.sections;  // its own come after these (sorted again at its end)
    v->mpm = main.mpm;
    return v;
}

void finish(mh_server &v, const Own &own)
{
    mh_server &main = *v.main_server;
    for (size_t m = 0; m < v.modules.size(); ++m) {
        const mh_module *desc = v.modules[m].desc;
        if (m < own.dir.size() && own.dir[m]) {
            void *base = main.root_module_dir[m];
            v.root_module_dir[m] = base && desc->merge_dir_config ? desc->merge_dir_config(&main.pool, base, own.dir[m])
                                                                  : own.dir[m];
        }
        if (m < own.server.size() && own.server[m]) {
            void *base = main.modules[m].server_config;
            void *add = v.modules[m].server_config;
            if (base && add && add != base && desc->merge_server_config)
                v.modules[m].server_config = desc->merge_server_config(&main.pool, base, add);
        }
    }
    sort_sections(v.sections);
}

}  // namespace mh::vhost
