// Shared helpers for the core/log unit tests.
#pragma once

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "log/time_cache.h"

namespace mh::test {

// TZ for one scope (POSIX TZ strings need no tzdata), restored afterwards.
class TzGuard {
public:
    explicit TzGuard(const char *tz) {
        if (const char *old = std::getenv("TZ")) old_ = old;
        set(tz);
    }
    ~TzGuard() { set(old_ ? old_->c_str() : nullptr); }
    TzGuard(const TzGuard &) = delete;
    TzGuard &operator=(const TzGuard &) = delete;

private:
    static void set(const char *tz) {
        if (tz) setenv("TZ", tz, 1);
        else unsetenv("TZ");
        tzset();
        log::detail::reset_time_cache();  // cached seconds were in the old zone
    }
    std::optional<std::string> old_;
};

// A fresh directory, removed with its contents at the end of the scope.
class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "mh-log-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::string file(const std::string &name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

inline std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::vector<std::string> read_lines(const std::string &path) {
    std::vector<std::string> lines;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// 2026-11-27 16:21:25 UTC, a Friday.
constexpr std::time_t kFriday = 1795796485;

}  // namespace mh::test
