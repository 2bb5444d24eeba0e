// A transport a module supplies (modhttpd/transport.h): TLS from mod_ssl.
// The connection drives it as it drives the plain socket; files go through
// it read into memory in bounded pieces (it has no sendfile).
#pragma once

#include <memory>

#include "connection/transport.h"
#include "modhttpd/mpm.h"

namespace mh {

class ModuleTransport final : public Transport {
public:
    // Offers the new connection to the create_transport hooks of `main`;
    // nullptr when every hook declined (or there is none). `refused` is set
    // when a hook answered neither MH_OK nor MH_DECLINED: close it.
    static std::unique_ptr<ModuleTransport> wrap(const mh_conn_info &info, mh_server &main, const char *local_ip,
                                                 int local_port, bool &refused);
    ModuleTransport(const mh_transport_ops *ops, void *ctx) : ops_(ops), ctx_(ctx) {}
    ~ModuleTransport() override;
    ModuleTransport(const ModuleTransport &) = delete;
    ModuleTransport &operator=(const ModuleTransport &) = delete;

    ssize_t read(void *buf, size_t n) override;
    ssize_t writev(const iovec *iov, int count, bool more) override;
    ssize_t sendfile(int file, off_t *offset, size_t n) override;
    int wants() const override;
    bool shutdown_write() override;
    bool has_pending_input() const override;
    const char *var(const char *name) const override;

private:
    const mh_transport_ops *ops_;
    void *ctx_;
};

}  // namespace mh
