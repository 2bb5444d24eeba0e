#include "server.h"

#include <fnmatch.h>

#include <functional>
#include <unordered_map>

#include <unistd.h>

#include "util/regex.h"
#include "vhost/vhost_table.h"

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
    if (add.add_default_charset) out.add_default_charset = add.add_default_charset;
    if (add.use_canonical_name) out.use_canonical_name = add.use_canonical_name;
    if (add.accept_path_info) out.accept_path_info = add.accept_path_info;
    return out;
}

}  // namespace mh

using mh::DirConfig;
using mh::Section;

mh_server::mh_server(size_t first_pool_block) : pool(first_pool_block) {}

mh_server::~mh_server()
{
    // The vhosts' merged configs point into the main pool: they go first.
    vhosts.clear();
    vhost_table.reset();
    if (error_log_fd >= 0) close(error_log_fd);
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

// A section for a directory applies to it and to everything below it: the
// file's directory and each of its parents is tried.
bool any_directory_matches(std::string_view filename, const std::function<bool(std::string_view)> &test)
{
    std::string_view d = filename;
    for (;;) {
        if (test(d)) return true;
        size_t slash = d.find_last_of('/');
        if (slash == std::string_view::npos || d.size() <= 1) return false;
        d = slash == 0 ? std::string_view("/") : d.substr(0, slash);
    }
}

bool directory_matches(const Section &s, std::string_view filename)
{
    if (filename.empty()) return false;
    if (s.regex) return any_directory_matches(filename, [&](std::string_view d) { return mh::regex::match(s.regex, d); });
    if (s.path == "/") return true;
    if (!s.wildcard) return covers(s.path, filename);
    std::string p;
    return any_directory_matches(filename, [&](std::string_view d) {
        p.assign(d);
        return fnmatch(s.path.c_str(), p.c_str(), FNM_PATHNAME) == 0;
    });
}

// <Files> names the last component of the file name.
bool files_match(const Section &s, std::string_view filename)
{
    if (filename.empty()) return false;
    size_t slash = filename.find_last_of('/');
    std::string base(slash == std::string_view::npos ? filename : filename.substr(slash + 1));
    if (s.regex) return mh::regex::match(s.regex, base);
    return fnmatch(s.path.c_str(), base.c_str(), 0) == 0;
}

bool location_matches(const Section &s, std::string_view path)
{
    if (s.regex) return mh::regex::match(s.regex, path);
    return s.path == "*" || covers(s.path, path);
}

size_t depth(const std::string &path) { return std::count(path.begin(), path.end(), '/'); }

}  // namespace

std::string mh::Section::name() const
{
    const char *base = kind == Kind::Directory ? "Directory" : kind == Kind::Files ? "Files" : "Location";
    return std::string("<") + base + (regex ? "Match>" : ">");
}

const DirConfig &mh_server::dir_config_for(std::string_view filename, std::string_view path)
{
    thread_local std::vector<int> matched;
    thread_local std::vector<int> matched_ids;
    matched.clear();
    matched_ids.clear();
    for (size_t i = 0; i < sections.size(); ++i) {
        const Section &s = sections[i];
        bool hit = false;
        switch (s.kind) {
        case Section::Kind::Directory: hit = directory_matches(s, filename); break;
        case Section::Kind::Files:
            hit = (s.parent < 0 || std::find(matched_ids.begin(), matched_ids.end(), s.parent) != matched_ids.end()) &&
                  files_match(s, filename);
            break;
        case Section::Kind::Location: hit = location_matches(s, path); break;
        }
        if (hit) {
            matched.push_back(static_cast<int>(i));
            matched_ids.push_back(s.id);
        }
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
    merged->mime = &main_server->core.mime;
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

void mh::sort_sections(std::deque<Section> &sections)
{
    // Each section's walk group, and within it what orders it.
    std::unordered_map<int, size_t> position;  // directory id -> its place once sorted
    auto group = [](const Section &s) {
        switch (s.kind) {
        case Section::Kind::Directory: return s.regex ? 1 : 0;
        case Section::Kind::Files: return s.parent < 0 ? 2 : 3;
        case Section::Kind::Location: break;
        }
        return 4;
    };
    std::stable_sort(sections.begin(), sections.end(), [&](const Section &a, const Section &b) {
        int ga = group(a), gb = group(b);
        if (ga != gb) return ga < gb;
        if (ga == 0) return depth(a.path) < depth(b.path);
        return false;  // file order (stable)
    });
    for (size_t i = 0; i < sections.size(); ++i)
        if (sections[i].kind == Section::Kind::Directory) position[sections[i].id] = i;
    std::stable_sort(sections.begin(), sections.end(), [&](const Section &a, const Section &b) {
        int ga = group(a), gb = group(b);
        if (ga != gb) return ga < gb;
        if (ga == 3) return position[a.parent] < position[b.parent];
        return false;
    });
}
