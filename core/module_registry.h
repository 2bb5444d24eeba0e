// Shared objects loaded with LoadModule, through Boost.DLL. A library stays
// loaded for the life of the process (the previous configuration may still
// call into it): a restart that names an unchanged file reuses it, one that
// finds the file rebuilt loads the new one beside it. The exception is an
// MPM replaced by another on a restart: it is unloaded once it is done.
#pragma once

#include <sys/types.h>

#include <boost/dll/shared_library.hpp>

#include <memory>
#include <string>
#include <vector>

#include "modhttpd/modhttpd.h"

namespace mh {

// What identifies the file a module was loaded from: a rebuilt module (new
// inode, size or time) is loaded again on the next restart.
struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    time_t mtime_sec = 0;
    long mtime_nsec = 0;
    bool operator==(const FileId &) const = default;
};

struct LoadedModule {
    std::string symbol;            // "static_module"
    std::string path;              // absolute path of the .so
    FileId file;                   // the file as it was when loaded
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

// Unloads a library no configuration uses any more (an MPM replaced on a
// restart, once its last child is gone). Every reference to it is invalid
// afterwards.
void unload_module(const LoadedModule *m);

// Checks a descriptor (exposed for unit tests). Returns "" or the error.
std::string check_descriptor(const mh_module *m, const std::string &symbol, const std::string &path);

// The base name of a source path: "/src/modules/mod_static.c" -> "mod_static.c".
std::string source_base_name(const char *source);

}  // namespace mh
