#include "master/mpm_runs.h"

#include <algorithm>

namespace mh::master {

MpmRuns::Run &MpmRuns::run_of(const LoadedModule *mpm)
{
    for (Run &r : runs_)
        if (r.mpm == mpm) return r;
    Run &r = runs_.emplace_back();
    r.mpm = mpm;
    return r;
}

void MpmRuns::begin(const mh_server &first) { run_of(first.mpm->loaded); }

bool MpmRuns::running(const LoadedModule *mpm) const
{
    return std::any_of(runs_.begin(), runs_.end(), [mpm](const Run &r) { return r.mpm == mpm && !r.stopped; });
}

mh_server *MpmRuns::retire(std::unique_ptr<mh_server> old, const mh_server &next)
{
    mh_server *kept = old.get();
    const LoadedModule *old_mpm = old->mpm->loaded;
    run_of(old_mpm).servers.push_back(std::move(old));
    // The new MPM may be one that was finishing: it serves again.
    Run &current = run_of(next.mpm->loaded);
    current.stopped = false;
    // The current MPM reads only the configuration it was just given; the
    // one before is kept a generation longer, as before any MPM change.
    if (current.servers.size() > 1) current.servers.erase(current.servers.begin(), current.servers.end() - 1);
    return kept;
}

bool MpmRuns::stopped(const mh_module *address)
{
    for (Run &r : runs_)
        if (r.mpm->address == address) r.stopped = true;
    return std::all_of(runs_.begin(), runs_.end(), [](const Run &r) { return r.stopped; });
}

std::vector<std::pair<const mh_mpm *, mh_server *>> MpmRuns::finishing(const mh_server &current) const
{
    std::vector<std::pair<const mh_mpm *, mh_server *>> out;
    for (const Run &r : runs_)
        if (r.mpm != current.mpm->loaded && !r.stopped && !r.servers.empty())
            out.emplace_back(r.mpm->desc.mpm, r.servers.back().get());
    return out;
}

std::vector<std::string> MpmRuns::release_stopped(const mh_server &current)
{
    std::vector<std::string> released;
    for (auto it = runs_.begin(); it != runs_.end();) {
        if (!it->stopped || it->mpm == current.mpm->loaded) {
            ++it;
            continue;
        }
        const LoadedModule *mpm = it->mpm;
        released.push_back(mpm->symbol);
        it = runs_.erase(it);  // its configurations first: their pools may call into the library
        unload_module(mpm);
    }
    return released;
}

}  // namespace mh::master
