#include "config/config_tree.h"
#include "config/paths_internal.h"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace mh::config::detail {
namespace {

std::string reason(int err) { return std::generic_category().message(err); }

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

}  // namespace

std::string make_absolute(const std::string &root, const std::string &path) {
    if (path.find('\0') != std::string::npos) throw Error("Invalid path (it contains a NUL byte)");
    std::filesystem::path p(path);
    if (!p.is_absolute()) {
        std::filesystem::path base(root);
        if (root.empty()) {
            std::error_code ec;
            base = std::filesystem::current_path(ec);
            if (ec) throw Error("Cannot resolve relative path " + path + ": " + ec.message());
        }
        p = base / p;
    }
    std::string s = p.lexically_normal().string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

FileText read_text(const std::string &path) {
    auto fail = [&path](const std::string &why) {
        return Error("Could not open configuration file " + path + ": " + why);
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw fail(reason(errno));
    FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw fail(reason(errno));
    if (S_ISDIR(st.st_mode)) throw fail(reason(EISDIR));
    FileText text;
    text.id = FileId{st.st_dev, st.st_ino};
    if (!S_ISREG(st.st_mode)) {
        if (path == "/dev/null") return text;
        throw fail("not a regular file");
    }
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw fail(reason(errno));
        if (n == 0) return text;
        text.content.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace mh::config::detail
