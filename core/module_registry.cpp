#include "module_registry.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>

#include "config/config_tree.h"

namespace mh {
namespace {

// Every library loaded so far; std::list keeps references stable.
std::list<LoadedModule> &registry()
{
    static std::list<LoadedModule> modules;
    return modules;
}

// Boost.DLL appends the loader's message as "(dlerror system message: ...)".
std::string loader_message(const std::exception &e)
{
    std::string what = e.what();
    const std::string tag = "(dlerror system message: ";
    size_t at = what.find(tag);
    if (at == std::string::npos) return what;
    // After it comes ": <error code text>"; the loader's text ends at the last ')'.
    size_t end = what.rfind(')');
    if (end == std::string::npos || end < at) return what;
    return what.substr(at + tag.size(), end - at - tag.size());
}

FileId file_id(const std::string &path)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return {};
    return {st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
}

// A symlink to `target` under a name never used before, removed when done
// (the loader keeps the mapping, not the name).
class FreshName {
public:
    explicit FreshName(const std::string &target)
    {
        static unsigned counter = 0;
        const char *tmp = getenv("TMPDIR");
        std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/modhttpd-module-XXXXXX";
        if (mkdtemp(tmpl.data()) == nullptr) {
            path_ = target;
            return;
        }
        dir_ = tmpl;
        path_ = dir_ + "/" + std::to_string(++counter) + "-" + source_base_name(target.c_str());
        if (symlink(target.c_str(), path_.c_str()) != 0) path_ = target;
    }
    ~FreshName()
    {
        if (dir_.empty()) return;
        unlink(path_.c_str());
        rmdir(dir_.c_str());
    }
    const std::string &path() const { return path_; }

private:
    std::string dir_, path_;
};

std::string hex32(uint32_t v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

}  // namespace

std::string source_base_name(const char *source)
{
    if (source == nullptr) return "";
    const char *slash = strrchr(source, '/');
    return slash ? slash + 1 : source;
}

std::string check_descriptor(const mh_module *m, const std::string &symbol, const std::string &path)
{
    if (m->magic != MH_MODULE_MAGIC)
        return "API module structure '" + symbol + "' in file " + path +
               " is garbled - expected signature " + hex32(MH_MODULE_MAGIC) + " but saw " +
               hex32(m->magic) +
               " - perhaps this is not a modhttpd module DSO, or was compiled for a "
               "different modhttpd version?";
    if (m->abi_major != MH_ABI_MAJOR) {
        std::string name = source_base_name(m->source);
        if (name.empty()) name = symbol;
        return "Module \"" + name + "\" (" + symbol + " in " + path +
               ") is not compatible with this version of modhttpd (module built for ABI " +
               std::to_string(m->abi_major) + "." + std::to_string(m->abi_minor) +
               ", this server has ABI " + std::to_string(MH_ABI_MAJOR) + "." +
               std::to_string(MH_ABI_MINOR) +
               "). Rebuild it against this server's headers or contact its vendor.";
    }
    if (m->struct_size < offsetof(mh_module, commands))
        return "API module structure '" + symbol + "' in file " + path +
               " is garbled - its size field says " + std::to_string(m->struct_size) + " bytes";
    return "";
}

LoadedModule &load_module(const std::string &symbol, const std::string &path)
{
    FileId id = file_id(path);
    bool replaced = false;
    for (LoadedModule &m : registry()) {
        if (m.path != path) continue;
        if (m.file == id) {
            if (m.symbol == symbol) return m;
        } else {
            replaced = true;
        }
    }

    boost::dll::shared_library library;
    try {
        // Resolve every symbol now: a module with a missing dependency fails
        // here, with the loader's message, rather than at its first request.
        auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local;
        if (replaced) {
            // The file was rebuilt since it was loaded (a restart after
            // "make install"): the dynamic loader would hand back the old copy
            // for the same name, so the new file goes in under a fresh one.
            FreshName fresh(path);
            library.load(fresh.path(), mode);
        } else {
            library.load(path, mode);
        }
    } catch (const std::exception &e) {
        throw config::Error("Cannot load " + path + " into server: " + loader_message(e));
    }
    if (!library.has(symbol))
        throw config::Error("Can't locate API module structure `" + symbol + "' in file " + path +
                            ": " + path + ": undefined symbol: " + symbol);
    const mh_module *address = &library.get<const mh_module>(symbol);
    if (std::string err = check_descriptor(address, symbol, path); !err.empty())
        throw config::Error(err);

    LoadedModule &m = registry().emplace_back();
    m.symbol = symbol;
    m.path = path;
    m.file = id;
    m.library = std::move(library);
    m.address = address;
    // A module built against an older minor has a shorter descriptor: the
    // fields it does not know stay zero.
    memcpy(&m.desc, address, std::min<size_t>(address->struct_size, sizeof(mh_module)));
    m.desc.struct_size = sizeof(mh_module);
    m.source = source_base_name(m.desc.source);
    if (m.desc.mpm != nullptr) {
        const mh_mpm *mpm = m.desc.mpm;
        memcpy(&m.mpm, mpm, std::min<size_t>(mpm->struct_size, sizeof(mh_mpm)));
        m.mpm.struct_size = sizeof(mh_mpm);
        m.desc.mpm = &m.mpm;
    }
    return m;
}

void unload_module(const LoadedModule *m)
{
    registry().remove_if([m](const LoadedModule &each) { return &each == m; });
}

}  // namespace mh
