// Apache modules whose work modhttpd's core does itself. A configuration
// written for Apache names them in LoadModule and <IfModule>: they count as
// loaded (static, as in an Apache built with them compiled in), and loading
// one is Apache's warning for a built-in module, not an error.
#pragma once

#include <string>

namespace mh {

struct BuiltinModule {
    const char *symbol;  // "dir_module"
    const char *source;  // "mod_dir.c", what <IfModule> may name instead
    const char *does;    // what in the core stands for it (-M, docs)
};

// The entry named by symbol or source file, or nullptr.
const BuiltinModule *builtin_module(const std::string &name);

// Every entry, ending with {nullptr, nullptr, nullptr}.
const BuiltinModule *builtin_modules();

}  // namespace mh
