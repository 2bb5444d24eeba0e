// mh_server: one configuration, as read at start or at a restart. The master
// builds a new one on every restart; children use the one they were forked with.
#pragma once

#include <deque>
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

// A <Directory>, <Files> or <Location> section, plain or by regex
// (<DirectoryMatch>, <Directory ~>, <FilesMatch>, <Files ~>, <LocationMatch>,
// <Location ~>).
struct Section {
    enum class Kind { Directory, Files, Location };
    Kind kind;
    std::string path;              // absolute directory, file name pattern, or URL prefix; the regex text
    bool wildcard = false;         // a path with *?[ : fnmatch
    mh_regex *regex = nullptr;     // the regex forms (owned by the server's pool)
    int id = 0;                    // its place in the configuration
    int parent = -1;               // <Files> inside a <Directory>: that section's id
    config::OriginPtr origin;
    CoreDirConfig core;
    std::vector<void *> module_configs;  // by module index; nullptr when none
    // "<Directory>", "<FilesMatch>", ...: for messages.
    std::string name() const;
};

// Settings in force for one request (a merge of the matching sections).
struct DirConfig {
    CoreDirConfig core;
    std::vector<void *> module_configs;
    MimeTypes const *mime = nullptr;  // TypesConfig
};

// Puts sections in the order requests walk them, Apache's: <Directory> by
// depth, then the regex ones in file order, then <Files> (the top-level ones,
// then those inside a <Directory>, in that directory's order), then
// <Location> and <LocationMatch> in file order.
void sort_sections(std::deque<Section> &sections);

// One <VirtualHost> address: "*:80", "127.0.0.2:8080", "[::1]:*", a name
// resolved at start-up (each of its addresses is one entry).
struct VhostAddress {
    std::string ip;                // numeric, IPv6 without brackets; "" = any (*, _default_)
    int port = 0;                  // 0 = any (*)
    std::string written;           // the host as written, for the name fallback
    std::string text() const;      // "*:80", "127.0.0.1:*", "[::1]:80"
};

class VhostTable;

struct OpenCustomLog {
    log::LogFormat format;
    std::unique_ptr<log::AccessLogFile> file;
};

}  // namespace mh

struct mh_server {
    explicit mh_server(size_t first_pool_block = 65536);  // a vhost's pool only holds its merges
    ~mh_server();

    mh_pool pool;                  // lives as long as this configuration
    mh::CoreServerConfig core;
    mh::CoreDirConfig root_dir;    // core settings outside any section
    std::vector<void *> root_module_dir;  // modules' server-wide dir configs
    std::vector<mh::ActiveModule> modules;  // index = module index
    std::deque<mh::Section> sections;  // a deque: references stay put while sections nest
    mh::Hooks hooks;
    const mh::ActiveModule *mpm = nullptr;
    std::vector<const mh::ActiveModule *> mpms;  // every MPM loaded, to report >1
    std::vector<mh::OpenCustomLog> access_logs;
    std::string config_file;
    std::vector<std::string> defines;              // -D and Define, as the file left them
    std::map<std::string, std::string> variables;  // Define NAME value
    int generation = 0;

    // Virtual hosts. The main server owns them; each is an mh_server of its
    // own with the per-server settings merged over the main server's, and
    // `main_server` pointing back for what is process-wide (hooks, the
    // modules' code, filters, providers, the MPM, MIME types).
    mh_server *main_server = this;
    bool is_virtual() const { return main_server != this; }
    std::vector<mh::VhostAddress> vhost_addresses;  // <VirtualHost> arguments, resolved
    std::vector<std::string> server_aliases;        // ServerAlias without wildcards, lower case
    std::vector<std::string> wild_aliases;          // ServerAlias with * or ?, lower case
    mh::config::OriginPtr vhost_origin;             // the <VirtualHost> line
    std::deque<std::unique_ptr<mh_server>> vhosts;  // main only, in file order
    std::unique_ptr<mh::VhostTable> vhost_table;    // main only: the address lookup
    int error_log_fd = -1;                          // a vhost's own ErrorLog, -1: the main one
    bool error_log_syslog = false;                  // a vhost's own ErrorLog is syslog

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
