// -X without the MPM's help: one process, one connection at a time, for
// debugging (and for an MPM that has no single-process mode of its own).
#pragma once

struct mh_server;

namespace mh::master {

int serve_in_this_process(mh_server &s);

}  // namespace mh::master
