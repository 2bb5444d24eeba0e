// Include's file list, following Apache's process_resource_config_fnmatch
// and _nofnmatch (server/config.c).
#include "config/config_tree.h"
#include "config/paths_internal.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fnmatch.h>
#include <string_view>
#include <sys/stat.h>
#include <system_error>
#include <utility>

namespace mh::config::detail {
namespace {

constexpr unsigned kMaxDirDepth = 128;  // AP_MAX_INCLUDE_DIR_DEPTH

struct Walk {
    bool optional = false;
    std::vector<std::string> files;
    std::vector<FileId> dirs;  // directories being read, to stop symlink loops early
};

std::string reason(int err) { return std::generic_category().message(err); }

std::string join(const std::string &dir, const std::string &name) {
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// apr_fnmatch_test: '*', '?', or '[' with a later ']'; '\' escapes.
bool has_wildcard(std::string_view s) {
    int nesting = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        switch (s[i]) {
        case '*':
        case '?': return true;
        case '\\':
            if (++i == s.size()) return false;
            break;
        case '[': ++nesting; break;
        case ']':
            if (nesting) return true;
            break;
        }
    }
    return false;
}

// Entry names except "." and "..", sorted as Apache does (strcmp).
// Returns 0 or an errno value.
int list_dir(const std::string &dir, std::vector<std::string> &names) {
    DIR *d = ::opendir(dir.c_str());
    if (!d) return errno;
    while (const dirent *e = ::readdir(d)) {
        std::string_view name(e->d_name);
        if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return 0;
}

bool is_dir(const std::string &path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A name without wildcards: a file, or a directory read whole.
void add_path(Walk &w, const std::string &path, unsigned depth) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT && w.optional) return;
        w.files.push_back(path);  // reading it will say why it failed
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        w.files.push_back(path);
        return;
    }
    FileId id{st.st_dev, st.st_ino};
    if (depth >= kMaxDirDepth || std::find(w.dirs.begin(), w.dirs.end(), id) != w.dirs.end())
        throw Error("Directory " + path + " exceeds the maximum include directory nesting level of " +
                    std::to_string(kMaxDirDepth) + ". You have probably a recursion somewhere.");
    std::vector<std::string> names;
    if (int err = list_dir(path, names)) throw Error("Could not open config directory " + path + ": " + reason(err));
    w.dirs.push_back(id);
    for (const std::string &name : names) add_path(w, join(path, name), depth + 1);
    w.dirs.pop_back();
}

// parts[i..] under `dir`; only components with wildcards read a directory.
void add_matches(Walk &w, std::string dir, const std::vector<std::string> &parts, std::size_t i) {
    for (; !has_wildcard(parts[i]); ++i) {
        dir = join(dir, parts[i]);
        if (i + 1 == parts.size()) return add_path(w, dir, 0);
    }
    const std::string &pattern = parts[i];
    const bool last = i + 1 == parts.size();
    std::vector<std::string> names;
    if (int err = list_dir(dir, names)) {
        if (err == ENOENT && w.optional) return;
        throw Error("Could not open config directory " + dir + ": " + reason(err));
    }
    std::vector<std::string> matches;
    for (const std::string &name : names) {
        if (::fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) != 0) continue;
        std::string full = join(dir, name);
        if (last || is_dir(full)) matches.push_back(std::move(full));  // inner components match directories only
    }
    if (matches.empty() && !w.optional)
        throw Error("Include/IncludeOptional: No matches for the wildcard '" + pattern + "' in '" + dir +
                    "', failing");
    for (const std::string &m : matches) last ? add_path(w, m, 0) : add_matches(w, m, parts, i + 1);
}

}  // namespace

std::vector<std::string> expand_include(const std::string &path, bool optional) {
    Walk w;
    w.optional = optional;
    if (!has_wildcard(path)) {
        add_path(w, path, 0);
        return std::move(w.files);
    }
    std::vector<std::string> parts;
    for (std::size_t pos = 0; pos < path.size();) {
        std::size_t end = std::min(path.find('/', pos), path.size());
        if (end > pos) parts.push_back(path.substr(pos, end - pos));
        pos = end + 1;
    }
    add_matches(w, "/", parts, 0);
    return std::move(w.files);
}

}  // namespace mh::config::detail
