// The MPMs on this master and the configurations they may still read.
// Usually one MPM runs: a restart hands it the new configuration and the
// one before is kept a generation longer. A restart that changes the MPM
// leaves the old one finishing its children beside the new one; it keeps
// every configuration it ran with until it reports its last child gone,
// then those configurations are freed and its library unloaded.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server.h"

namespace mh::master {

class MpmRuns {
public:
    // The first configuration's MPM runs.
    void begin(const mh_server &first);
    // Not stopped: serving, or finishing its children.
    bool running(const LoadedModule *mpm) const;
    // `old` was current until a restart to `next`: kept while its MPM may
    // still read it. Returns it (owned here).
    mh_server *retire(std::unique_ptr<mh_server> old, const mh_server &next);
    // The MPM reported its last child gone; true when no MPM runs any more.
    bool stopped(const mh_module *address);
    // MPMs other than `current`'s that still finish their children, with
    // the configuration each last ran.
    std::vector<std::pair<const mh_mpm *, mh_server *>> finishing(const mh_server &current) const;
    // Frees the configurations of stopped MPMs other than `current`'s and
    // unloads their libraries; returns their names ("mpm_prefork_module").
    // Not from inside an MPM's call: its code goes away.
    std::vector<std::string> release_stopped(const mh_server &current);

private:
    struct Run {
        const LoadedModule *mpm = nullptr;
        std::vector<std::unique_ptr<mh_server>> servers;  // oldest first
        bool stopped = false;
    };
    Run &run_of(const LoadedModule *mpm);

    std::vector<Run> runs_;
};

}  // namespace mh::master
