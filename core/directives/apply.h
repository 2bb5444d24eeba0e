// Applies a read configuration tree: every directive goes to the core's or a
// module's command table, with Apache's arity and context checks.
#pragma once

#include <vector>

#include "config/config_tree.h"
#include "modhttpd/module.h"

struct mh_server;

namespace mh {

// Throws config::Error naming the directive's file and line.
void apply_config(mh_server &s, const std::vector<config::Node> &nodes);

// The built-in core module ("core_module (static)" in -M).
extern const mh_module core_module;
extern const mh_command core_commands[];

}  // namespace mh
