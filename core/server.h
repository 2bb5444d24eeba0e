// mh_server: one configuration, as read at start or at a restart. The master
// builds a new one on every restart; children use the one they were forked with.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "hooks.h"
#include "log/access_log.h"
#include "module_registry.h"
#include "pool.h"
#include "request/filters.h"
#include "server_config.h"

namespace mh {

// A module taking part in this configuration.
struct ActiveModule {
    LoadedModule *loaded = nullptr;        // the library, kept across restarts
    const mh_module *desc = nullptr;       // normalised copy of its descriptor
    const mh_module *address = nullptr;    // the symbol itself: what the module calls us with
    config::OriginPtr origin;      // its LoadModule line (nullptr: built in)
    void *server_config = nullptr;
    void *dir_defaults = nullptr;  // create_dir_config(pool, NULL)
    bool is_static = false;
};

// A <Directory> or <Location> section.
struct Section {
    enum class Kind { Directory, Location };
    Kind kind;
    std::string path;              // absolute directory, or URL prefix
    bool wildcard = false;         // Directory path with *?[ : fnmatch
    config::OriginPtr origin;
    CoreDirConfig core;
    std::vector<void *> module_configs;  // by module index; nullptr when none
};

// Settings in force for one request (a merge of the matching sections).
struct DirConfig {
    CoreDirConfig core;
    std::vector<void *> module_configs;
    MimeTypes const *mime = nullptr;  // TypesConfig
};

// Puts sections in the order requests walk them: <Directory> by depth, then
// <Location> in file order.
void sort_sections(std::vector<Section> &sections);

struct OpenCustomLog {
    log::LogFormat format;
    std::unique_ptr<log::AccessLogFile> file;
};

}  // namespace mh

struct mh_server {
    mh_server();
    ~mh_server();

    mh_pool pool;                  // lives as long as this configuration
    mh::CoreServerConfig core;
    mh::CoreDirConfig root_dir;    // core settings outside any section
    std::vector<void *> root_module_dir;  // modules' server-wide dir configs
    std::vector<mh::ActiveModule> modules;  // index = module index
    std::vector<mh::Section> sections;
    mh::Hooks hooks;
    const mh::ActiveModule *mpm = nullptr;
    std::vector<const mh::ActiveModule *> mpms;  // every MPM loaded, to report >1
    std::vector<mh::OpenCustomLog> access_logs;
    std::string config_file;
    std::vector<std::string> defines;              // -D and Define, as the file left them
    std::map<std::string, std::string> variables;  // Define NAME value
    int generation = 0;

    // Module index of a descriptor address, -1 when not in this configuration.
    int module_index(const mh_module *address) const;

    // Output filters registered by modules (register_output_filter), by
    // name in any case; nullptr when there is none of that name.
    std::map<std::string, mh::OutputFilterDef> output_filters;  // key: lower case
    const mh::OutputFilterDef *output_filter(std::string_view name) const;
    // Providers: "group/name/version" -> what a module offers.
    std::map<std::string, const void *> providers;

    // The merged settings for a request with this file name and URL path.
    const mh::DirConfig &dir_config_for(std::string_view filename, std::string_view path);

private:
    const mh::DirConfig *merge_sections(const std::vector<int> &matched);
    std::shared_mutex cache_mutex_;
    std::unordered_map<std::string, const mh::DirConfig *> cache_;
    const mh::DirConfig *root_config_ = nullptr;
};
