// Confines the config reader's file access to one directory while a fuzz
// input runs: the target is linked with -Wl,--wrap for the libc calls
// core/config makes (open, opendir, stat), and the wrappers refuse, with
// ENOENT, any path outside the sandbox (except /dev/null) or with a ".."
// component. So a fuzzed "Include /" or "IncludeOptional /proc/*" reads
// nothing outside, and runs stay fast and repeatable.
#pragma once

#include <string>

namespace mh::fuzz {

// From now on only `root` (absolute, no trailing slash) and what is under it.
void sandbox_enter(const std::string &root);
// Everything again (libFuzzer itself opens corpus files and directories).
void sandbox_leave();
// How many calls were refused since the last enter.
unsigned sandbox_refused();

}  // namespace mh::fuzz
