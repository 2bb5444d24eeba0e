// The services table handed to every module (modhttpd/api.h), and the MPM
// services behind api->mpm (modhttpd/mpm.h).
#pragma once

#include "modhttpd/modhttpd.h"

namespace mh {

const mh_api *api();
const mh_mpm_services *mpm_services();

}  // namespace mh
