#include "listeners.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mh {
namespace {

// Binds one address. Returns the socket, or -1 with `error` set.
int bind_one(const ListenAddress &a, int backlog, std::string &error)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_family = AF_UNSPEC;
    addrinfo *res = nullptr;
    std::string port = std::to_string(a.port);
    // Without an address, prefer one IPv6 socket that takes IPv4 too.
    const char *host = a.host.empty() ? "::" : a.host.c_str();
    int rc = getaddrinfo(host, port.c_str(), &hints, &res);
    if (rc != 0 && a.host.empty()) rc = getaddrinfo("0.0.0.0", port.c_str(), &hints, &res);
    if (rc != 0) {
        error = "AH00077: alloc_listener: failed to set up sockaddr for " + a.text() + ": " + gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    int saved = 0;
    for (addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int one = 1, zero = 0;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6 && a.host.empty()) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        // Apache's "AcceptFilter http data": a connection reaches a worker only
        // once it has sent something, so idle connects hold no worker.
        int defer = 30;
        setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, backlog) == 0) break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        error = std::string("(") + std::to_string(saved) + ")" + strerror(saved) +
                ": AH00072: make_sock: could not bind to address " + a.text();
    return fd;
}

}  // namespace

bool Listeners::update(const std::vector<ListenAddress> &wanted, int backlog, std::string &error)
{
    std::vector<Listener> next;
    std::vector<int> fresh;
    for (const ListenAddress &a : wanted) {
        Listener l;
        l.address = a;
        l.name = a.text();
        for (const Listener &old : open_)
            if (old.address == a) l.fd = old.fd;
        if (l.fd < 0) {
            l.fd = bind_one(a, backlog, error);
            if (l.fd < 0) {
                for (int fd : fresh) close(fd);
                return false;
            }
            fresh.push_back(l.fd);
        } else {
            listen(l.fd, backlog);  // ListenBacklog may have changed
        }
        next.push_back(l);
    }
    for (const Listener &old : open_) {
        bool kept = false;
        for (const Listener &n : next) kept |= n.fd == old.fd;
        if (!kept) close(old.fd);
    }
    open_ = std::move(next);
    return true;
}

void Listeners::close_all()
{
    for (Listener &l : open_) close(l.fd);
    open_.clear();
}

Listeners &listeners()
{
    static Listeners instance;
    return instance;
}

}  // namespace mh
