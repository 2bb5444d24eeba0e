// The --wrap side of fuzz_config_sandbox.h.
#include "fuzz_config_sandbox.h"

#include <cerrno>
#include <cstdarg>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>

extern "C" {
int __real_open(const char *path, int flags, ...);
int __real_open64(const char *path, int flags, ...);
DIR *__real_opendir(const char *path);
int __real_stat(const char *path, struct stat *st);
int __real_stat64(const char *path, struct stat64 *st);
int __real_lstat(const char *path, struct stat *st);
int __real_lstat64(const char *path, struct stat64 *st);
}

namespace mh::fuzz {
namespace {

bool g_active = false;
std::string g_root;
unsigned g_refused = 0;

bool allowed(const char *path)
{
    if (!g_active) return true;
    std::string_view p(path ? path : "");
    bool ok = p == "/dev/null" ||
              (p.starts_with(g_root) && (p.size() == g_root.size() || p[g_root.size()] == '/'));
    // No way up: "/.." as a component anywhere.
    for (size_t at = p.find("/.."); ok && at != std::string_view::npos; at = p.find("/..", at + 1))
        if (at + 3 == p.size() || p[at + 3] == '/') ok = false;
    if (!ok) {
        ++g_refused;
        errno = ENOENT;
    }
    return ok;
}

}  // namespace

void sandbox_enter(const std::string &root)
{
    g_root = root;
    g_refused = 0;
    g_active = true;
}

void sandbox_leave() { g_active = false; }

unsigned sandbox_refused() { return g_refused; }

}  // namespace mh::fuzz

using mh::fuzz::allowed;

extern "C" {

int __wrap_open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? static_cast<mode_t>(va_arg(ap, int)) : 0;
    va_end(ap);
    if (!allowed(path)) return -1;
    return __real_open(path, flags, mode);
}

int __wrap_open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? static_cast<mode_t>(va_arg(ap, int)) : 0;
    va_end(ap);
    if (!allowed(path)) return -1;
    return __real_open64(path, flags, mode);
}

DIR *__wrap_opendir(const char *path) { return allowed(path) ? __real_opendir(path) : nullptr; }

int __wrap_stat(const char *path, struct stat *st) { return allowed(path) ? __real_stat(path, st) : -1; }

int __wrap_stat64(const char *path, struct stat64 *st) { return allowed(path) ? __real_stat64(path, st) : -1; }

int __wrap_lstat(const char *path, struct stat *st) { return allowed(path) ? __real_lstat(path, st) : -1; }

int __wrap_lstat64(const char *path, struct stat64 *st) { return allowed(path) ? __real_lstat64(path, st) : -1; }

}  // extern "C"
