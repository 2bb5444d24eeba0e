// TypesConfig and AddType as mod_mime reads them: extensions are lower-cased
// keys, and a later mapping of an extension replaces an earlier one.
#include "mime_types.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

namespace mh {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

void lower_in_place(std::string &s) {
    for (char &c : s) c = lower(c);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Next whitespace-separated word of `line` from `pos`; empty at the end.
std::string_view next_word(std::string_view line, std::size_t &pos) {
    while (pos < line.size() && is_space(line[pos])) ++pos;
    std::size_t start = pos;
    while (pos < line.size() && !is_space(line[pos])) ++pos;
    return line.substr(start, pos - start);
}

}  // namespace

bool MimeTypes::load(const std::string &path, std::string &error) {
    std::ifstream in(path);
    if (!in) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    // Read everything first: a bad file changes nothing.
    std::vector<std::pair<std::string, std::string>> entries;  // ext, type
    std::string line;
    for (int lineno = 1; std::getline(in, line); ++lineno) {
        std::size_t pos = 0;
        std::string_view type = next_word(line, pos);
        if (type.empty() || type[0] == '#') continue;
        if (type.find('/') == std::string_view::npos || type.front() == '/' || type.back() == '/') {
            error = path + ":" + std::to_string(lineno) + ": not a media type: " + std::string(type);
            return false;
        }
        for (std::string_view ext = next_word(line, pos); !ext.empty() && ext[0] != '#';
             ext = next_word(line, pos)) {
            std::string key(ext);
            lower_in_place(key);
            entries.emplace_back(std::move(key), std::string(type));
        }
    }
    if (in.bad()) {
        error = path + ": read error";
        return false;
    }
    for (auto &[ext, type] : entries) by_extension_[std::move(ext)] = std::move(type);
    return true;
}

void MimeTypes::add(std::string_view type, std::string_view extension) {
    if (!extension.empty() && extension[0] == '.') extension.remove_prefix(1);
    if (extension.empty() || type.empty()) return;
    std::string key(extension), value(type);
    lower_in_place(key);
    lower_in_place(value);  // as mod_mime's AddType
    by_extension_[std::move(key)] = std::move(value);
}

const std::string *MimeTypes::lookup(std::string_view filename) const {
    std::size_t slash = filename.rfind('/');
    if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
    std::size_t dot = filename.rfind('.');
    // "README" has no extension, nor has ".htaccess" (nor "name.").
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == filename.size()) return nullptr;
    // Up to 15 characters this string lives in its small buffer: no allocation.
    std::string key(filename.substr(dot + 1));
    lower_in_place(key);
    auto it = by_extension_.find(key);
    return it == by_extension_.end() ? nullptr : &it->second;
}

}  // namespace mh
