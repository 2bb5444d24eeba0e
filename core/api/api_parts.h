// The services table is filled in groups, one file per group.
#pragma once

#include "modhttpd/modhttpd.h"

namespace mh::api_parts {

void fill_hooks(mh_api &a);
void fill_memory_and_config(mh_api &a);
void fill_request(mh_api &a);
void fill_response(mh_api &a);
void fill_helpers(mh_api &a);
void fill_tables(mh_api &a);
void fill_filters(mh_api &a);
void fill_cgi(mh_api &a);
void fill_mpm(mh_mpm_services &m);

}  // namespace mh::api_parts
