// Reading a configuration from start to end: the file, its modules, the
// directives, then the checks that need the whole picture (one MPM, module
// thread safety, listeners, MIME types, the MPM's own settings).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server.h"

namespace mh {

struct ConfigureOptions {
    std::string config_file;             // -f; relative to ServerRoot
    std::string server_root;             // -d, or the compiled-in prefix
    std::vector<std::string> defines;    // -D
    std::vector<std::string> pre, post;  // -C, -c
    bool restarting = false;             // warnings go to the error log, not the console
    bool check_document_root = true;     // -T turns off the DocumentRoot warning
};

// Throws config::Error; its full_message() names file and line.
std::unique_ptr<mh_server> configure(const ConfigureOptions &opts, int generation);

// The configuration being read (modules register their hooks into it).
mh_server *configuring();

// True while a restart re-reads the configuration.
bool restarting();

}  // namespace mh
