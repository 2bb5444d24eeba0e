#include "server.h"

#include <fnmatch.h>

#include <algorithm>

namespace mh {

std::string ListenAddress::text() const
{
    std::string h = host.empty() ? "*" : host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return h + ":" + std::to_string(port);
}

CoreDirConfig CoreDirConfig::merge(const CoreDirConfig &base, const CoreDirConfig &add)
{
    CoreDirConfig out = base;
    if (add.handler) out.handler = add.handler;
    if (add.options_absolute) {
        out.options_on = add.options_on;
        out.options_absolute = true;
    } else {
        out.options_on = (base.options_on | add.options_on) & ~add.options_off;
    }
    out.options_off = 0;
    if (add.directory_index) out.directory_index = add.directory_index;
    out.add_types.insert(out.add_types.end(), add.add_types.begin(), add.add_types.end());
    if (add.limit_request_body) out.limit_request_body = add.limit_request_body;
    if (add.server_signature) out.server_signature = add.server_signature;
    if (add.output_filters) out.output_filters = add.output_filters;
    if (add.auth_type) out.auth_type = add.auth_type;
    if (add.auth_name) out.auth_name = add.auth_name;
    return out;
}

}  // namespace mh

using mh::DirConfig;
using mh::Section;

mh_server::mh_server() : pool(65536) {}

mh_server::~mh_server()
{
    // Module configs live in the pool; run its cleanups before members go.
    pool.clear();
}

int mh_server::module_index(const mh_module *address) const
{
    for (size_t i = 0; i < modules.size(); ++i)
        if (modules[i].address == address) return static_cast<int>(i);
    return -1;
}

const mh::OutputFilterDef *mh_server::output_filter(std::string_view name) const
{
    std::string key(name);
    for (char &c : key) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    auto it = output_filters.find(key);
    return it == output_filters.end() ? nullptr : &it->second;
}

namespace {

// "/a/b" covers "/a/b" and "/a/b/..." but not "/a/bc"; "/a/b/" covers "/a/b/...".
bool covers(std::string_view prefix, std::string_view path)
{
    if (prefix.size() > path.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
    return prefix.size() == path.size() || prefix.back() == '/' || path[prefix.size()] == '/';
}

bool directory_matches(const Section &s, std::string_view filename)
{
    if (filename.empty()) return false;
    if (s.path == "/") return true;
    if (!s.wildcard) return covers(s.path, filename);
    // A wildcard section matches a directory and everything below it.
    std::string f(filename);
    for (;;) {
        if (fnmatch(s.path.c_str(), f.c_str(), FNM_PATHNAME) == 0) return true;
        size_t slash = f.find_last_of('/');
        if (slash == 0 || slash == std::string::npos) return false;
        f.resize(slash);
    }
}

size_t depth(const std::string &path) { return std::count(path.begin(), path.end(), '/'); }

}  // namespace

const DirConfig &mh_server::dir_config_for(std::string_view filename, std::string_view path)
{
    // Apache's order: <Directory> from the shortest path to the longest,
    // then <Location> in file order. Sections are kept in that order.
    thread_local std::vector<int> matched;
    matched.clear();
    for (size_t i = 0; i < sections.size(); ++i) {
        const Section &s = sections[i];
        bool hit = s.kind == Section::Kind::Directory ? directory_matches(s, filename) : covers(s.path, path);
        if (hit) matched.push_back(static_cast<int>(i));
    }
    return *merge_sections(matched);
}

const DirConfig *mh_server::merge_sections(const std::vector<int> &matched)
{
    std::string key;
    for (int i : matched) key.append(reinterpret_cast<const char *>(&i), sizeof i);
    {
        std::shared_lock lock(cache_mutex_);
        if (matched.empty() && root_config_) return root_config_;
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    std::unique_lock lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;

    auto *merged = pool.make<DirConfig>();
    merged->core = root_dir;
    merged->module_configs = root_module_dir;
    merged->mime = &core.mime;
    for (int i : matched) {
        const Section &s = sections[i];
        merged->core = mh::CoreDirConfig::merge(merged->core, s.core);
        for (size_t m = 0; m < modules.size() && m < s.module_configs.size(); ++m) {
            void *add = s.module_configs[m];
            if (add == nullptr) continue;
            void *base = merged->module_configs[m];
            auto merge = modules[m].desc->merge_dir_config;
            merged->module_configs[m] = (base && merge) ? merge(&pool, base, add) : add;
        }
    }
    cache_.emplace(key, merged);
    if (matched.empty()) root_config_ = merged;
    return merged;
}

void mh::sort_sections(std::vector<Section> &sections)
{
    std::stable_sort(sections.begin(), sections.end(), [](const Section &a, const Section &b) {
        if (a.kind != b.kind) return a.kind == Section::Kind::Directory;
        if (a.kind == Section::Kind::Location) return false;
        return depth(a.path) < depth(b.path);
    });
}
