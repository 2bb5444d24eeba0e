#include "connection/module_transport.h"

#include <cerrno>
#include <cstddef>

#include "listeners.h"
#include "server.h"

namespace mh {
namespace {

// An op the module's build did not have (an older, shorter ops table).
template <typename Fn>
Fn op(const mh_transport_ops *ops, Fn mh_transport_ops::*member, size_t offset)
{
    return offset + sizeof(Fn) <= ops->struct_size ? ops->*member : nullptr;
}
#define MH_OP(ops, name) op(ops, &mh_transport_ops::name, offsetof(mh_transport_ops, name))

const char *listener_protocol(int listener)
{
    const auto &all = listeners().all();
    if (listener < 0 || size_t(listener) >= all.size()) return "http";
    return all[size_t(listener)].address.protocol.c_str();
}

}  // namespace

std::unique_ptr<ModuleTransport> ModuleTransport::wrap(const mh_conn_info &info, mh_server &main,
                                                       const char *local_ip, int local_port, bool &refused)
{
    refused = false;
    mh_transport_conn conn{};
    conn.struct_size = sizeof conn;
    conn.fd = info.fd;
    conn.info = &info;
    conn.protocol = listener_protocol(info.listener);
    conn.local_ip = local_ip;
    conn.local_port = local_port;
    conn.server = &main;
    for (const auto &e : main.hooks.create_transport.entries()) {
        mh_transport out{};
        out.struct_size = sizeof out;
        int rv = e.fn(&conn, &out);
        if (rv == MH_DECLINED) continue;
        bool usable = rv == MH_OK && out.ops && out.ctx && out.ops->struct_size >= offsetof(mh_transport_ops, var) &&
                      out.ops->read && out.ops->writev && out.ops->wants && out.ops->shutdown_write;
        if (usable) return std::make_unique<ModuleTransport>(out.ops, out.ctx);
        if (rv == MH_OK && out.ops && MH_OP(out.ops, destroy)) out.ops->destroy(out.ctx);
        refused = true;
        return nullptr;
    }
    return nullptr;
}

ModuleTransport::~ModuleTransport()
{
    if (auto destroy = MH_OP(ops_, destroy)) destroy(ctx_);
}

ssize_t ModuleTransport::read(void *buf, size_t n) { return ops_->read(ctx_, buf, n); }

ssize_t ModuleTransport::writev(const iovec *iov, int count, bool more)
{
    return ops_->writev(ctx_, iov, count, more ? 1 : 0);
}

ssize_t ModuleTransport::sendfile(int, off_t *, size_t)
{
    errno = ENOSYS;  // the output queue reads the file and writes it through us
    return -1;
}

int ModuleTransport::wants() const { return ops_->wants(ctx_) == MH_WANT_WRITE ? kWritable : kReadable; }

bool ModuleTransport::shutdown_write() { return ops_->shutdown_write(ctx_) == 0; }

bool ModuleTransport::has_pending_input() const
{
    auto pending = MH_OP(ops_, has_pending_input);
    return pending && pending(ctx_) != 0;
}

const char *ModuleTransport::var(const char *name) const
{
    auto lookup = MH_OP(ops_, var);
    return lookup && name ? lookup(ctx_, name) : nullptr;
}

}  // namespace mh
