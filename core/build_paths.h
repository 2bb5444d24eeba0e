// The compiled-in paths that -V shows and the command line starts from.
// Defined in a file of their own (build_paths.cpp) so that one build can
// link its binary for a second layout, a package's, by compiling that file
// again with other settings (package/meson.build).
#pragma once

namespace mh::build_paths {

extern const char *const server_root;   // the initial ServerRoot (-d)
extern const char *const config_file;   // the main configuration file (-f), relative to it or absolute
extern const char *const modules_dir;   // where the installation's modules are

}  // namespace mh::build_paths
