// What every child process does around the MPM's own work: leave the master's
// loop and signal handlers behind, drop privileges, run the child hooks.
#pragma once

namespace mh::child {

void after_fork();
// 0, or -1 when User/Group could not be taken on (logged).
int drop_privileges();
void run_init();
void run_exit();

}  // namespace mh::child
