// PidFile: where -k finds the running master.
#pragma once

#include <string>
#include <sys/types.h>

namespace mh::pid_file {

// Writes our pid (mode 0644). Warns, as Apache does, when a stale file is
// replaced. Returns false (logged) when it cannot be written.
bool write(const std::string &path);
// The pid in the file, or -1 when there is no readable file.
pid_t read(const std::string &path);
void remove(const std::string &path);

}  // namespace mh::pid_file
