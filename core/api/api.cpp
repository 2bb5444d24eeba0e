#include "api/api.h"

#include "api/api_parts.h"
#include "server_identity.h"

namespace mh {
namespace {

mh_mpm_services make_mpm_services()
{
    mh_mpm_services m{};
    m.struct_size = sizeof m;
    api_parts::fill_mpm(m);
    return m;
}

mh_api make_api()
{
    static const mh_mpm_services services = make_mpm_services();
    mh_api a{};
    a.struct_size = sizeof a;
    a.abi_major = MH_ABI_MAJOR;
    a.abi_minor = MH_ABI_MINOR;
    a.server_version = server_version();
    api_parts::fill_hooks(a);
    api_parts::fill_memory_and_config(a);
    api_parts::fill_request(a);
    api_parts::fill_response(a);
    api_parts::fill_helpers(a);
    api_parts::fill_tables(a);
    api_parts::fill_filters(a);
    api_parts::fill_cgi(a);
    a.mpm = &services;
    a.server_built = server_built();
    return a;
}

}  // namespace

const mh_api *api()
{
    static const mh_api table = make_api();
    return &table;
}

const mh_mpm_services *mpm_services() { return api()->mpm; }

}  // namespace mh
