#include "builtin_modules.h"

namespace mh {
namespace {

const BuiltinModule kBuiltins[] = {
    {"core_module", "core.c", "the core"},
    {"so_module", "mod_so.c", "LoadModule"},
    {"http_module", "http_core.c", "the HTTP engine"},
    {"unixd_module", "unixd.c", "User, Group"},
    {"log_config_module", "mod_log_config.c", "LogFormat, CustomLog"},
    {"logio_module", "mod_logio.c", "%I, %O"},
    {"dir_module", "mod_dir.c", "DirectoryIndex"},
    {"reqtimeout_module", "mod_reqtimeout.c", "RequestReadTimeout"},
    {"authn_core_module", "mod_authn_core.c", "AuthType, AuthName"},
    {nullptr, nullptr, nullptr},
};

}  // namespace

const BuiltinModule *builtin_module(const std::string &name)
{
    for (const BuiltinModule *b = kBuiltins; b->symbol; ++b)
        if (name == b->symbol || name == b->source) return b;
    return nullptr;
}

const BuiltinModule *builtin_modules() { return kBuiltins; }

}  // namespace mh
