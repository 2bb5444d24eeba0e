// What the command line prints about a configuration, in Apache's forms:
// -M (-t -D DUMP_MODULES), -S (-t -D DUMP_VHOSTS -D DUMP_RUN_CFG), -t -D
// DUMP_RUN_CFG, -L and -V. Each writes to stdout.
#pragma once

#include <string>
#include <vector>

struct mh_server;

namespace mh::reports {

void modules(const mh_server &s);
// "VirtualHost configuration:" and the virtual hosts (none until there are any).
void vhosts(const mh_server &s);
// ServerRoot, DocumentRoot, ErrorLog, PidFile, Define and User/Group lines.
void run_config(const mh_server &s);
// Every directive of the core and of the loaded modules, with its module
// and where it may appear.
void directives(const mh_server &s);
void version();
// -V; `s` may be null when the configuration could not be read.
void settings(const mh_server *s);

}  // namespace mh::reports
