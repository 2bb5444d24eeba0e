// Making a read configuration live: logs opened, listeners bound,
// post_config hooks run. Used at start and on every restart.
#pragma once

#include <string>

struct mh_server;

namespace mh::startup {

// Each returns false with Apache's message in `error`.
bool open_error_log(mh_server &s, std::string &error);
bool bind_listeners(mh_server &s, std::string &error);
bool open_access_logs(mh_server &s, std::string &error);
bool run_post_config(mh_server &s, std::string &error);

}  // namespace mh::startup
