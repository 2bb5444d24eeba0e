// The master process: it never serves a request. It runs the event loop
// (libuv) with the signals that stop and restart the server, re-reads the
// configuration on restart, and asks the MPM to start and stop generations.
#pragma once

#include <memory>
#include <string>

#include "configure.h"

namespace mh::master {

struct Options {
    ConfigureOptions config;     // to read it again on restart
    std::string command_line;    // for the log
};

// Runs until stopped; returns the exit code. `first` has its listeners and
// logs open and its post_config hooks run.
int run(std::unique_ptr<mh_server> first, const Options &opts);

// -X: one process serving in the foreground, no master.
int run_single_process(std::unique_ptr<mh_server> first);

}  // namespace mh::master
