// The ExtendedStatus directive: server-wide, On unless the configuration
// says Off (Apache turns it on whenever mod_status is loaded).
#pragma once

#include <modhttpd/modhttpd.h>

namespace mh_status {

struct ServerConfig {
    int extended_status;  // 1 On, 0 Off, -1 not set (= On)
};

void *create_server_config(mh_pool *pool);
extern const mh_command commands[];

// [worker] ExtendedStatus in effect for the request's server.
bool extended_status(const mh_request *r);

}  // namespace mh_status
