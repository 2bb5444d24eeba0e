// Shared objects loaded with LoadModule, through Boost.DLL. A library stays
// loaded for the life of the process: a restart that names it again reuses
// it, so module code is never unmapped under a running child.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <memory>
#include <string>
#include <vector>

#include "modhttpd/modhttpd.h"

namespace mh {

struct LoadedModule {
    std::string symbol;            // "static_module"
    std::string path;              // absolute path of the .so
    std::string source;            // base name of desc.source: "mod_static.c"
    boost::dll::shared_library library;
    const mh_module *address = nullptr;  // the exported symbol
    mh_module desc{};              // copy, zero-filled past the module's struct_size
    mh_mpm mpm{};                  // likewise, when desc.mpm is set
};

// Loads `path` and checks the descriptor named `symbol`: it must be a
// modhttpd module of our ABI major. Throws config::Error with a message in
// Apache's words (the caller adds file and line). Loading the same symbol
// from the same file again returns the first load.
LoadedModule &load_module(const std::string &symbol, const std::string &path);

// Checks a descriptor (exposed for unit tests). Returns "" or the error.
std::string check_descriptor(const mh_module *m, const std::string &symbol, const std::string &path);

// The base name of a source path: "/src/modules/mod_static.c" -> "mod_static.c".
std::string source_base_name(const char *source);

}  // namespace mh
