// CPU time of the server's processes, for CPUUser/CPUSystem/CPUChildren*.
//
// Apache keeps a times(2) copy in each scoreboard slot; our scoreboard has
// none, so we read the same four clocks from /proc/<pid>/stat of each process
// the scoreboard lists, of this process and of the master (our parent, when
// it is a modhttpd). The master's children clocks include every child it has
// already reaped, so work done by recycled children still counts.
#pragma once

#include <cstdint>
#include <vector>

namespace mh_status {

struct CpuTimes {
    uint64_t user = 0, system = 0;                  // clock ticks
    uint64_t children_user = 0, children_system = 0;
    long ticks_per_second = 100;                    // sysconf(_SC_CLK_TCK)
};

// [worker] Sums the clocks of `pids`, this process and the master; each
// process counted once, pids that are gone are skipped.
CpuTimes read_cpu_times(const std::vector<int> &pids);

}  // namespace mh_status
