#include "config.h"

#include "status_module.h"

namespace mh_status {
namespace {

const char *set_extended_status(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    // MH_FLAG: the core has checked that argv[0] is "On" or "Off".
    static_cast<ServerConfig *>(cmd->server_config)->extended_status = argv[0][1] == 'n';
    return nullptr;
}

}  // namespace

void *create_server_config(mh_pool *pool)
{
    auto *c = static_cast<ServerConfig *>(api().pcalloc(pool, sizeof(ServerConfig)));
    if (c) c->extended_status = -1;
    return c;
}

const mh_command commands[] = {
    {"ExtendedStatus", set_extended_status, 0, MH_WHERE_SERVER, MH_FLAG,
     "\"On\" to enable extended status information, \"Off\" to disable"},
    MH_COMMAND_END,
};

bool extended_status(const mh_request *r)
{
    const auto *c = static_cast<const ServerConfig *>(
        api().server_config(api().request_server(r), &status_module));
    return c == nullptr || c->extended_status != 0;
}

}  // namespace mh_status
