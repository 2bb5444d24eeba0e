#include "master/pid_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "logging.h"

namespace mh::pid_file {

pid_t read(const std::string &path)
{
    FILE *f = fopen(path.c_str(), "r");
    if (!f) return -1;
    long pid = -1;
    if (fscanf(f, "%ld", &pid) != 1) pid = -1;
    fclose(f);
    return pid > 0 ? static_cast<pid_t>(pid) : -1;
}

bool write(const std::string &path)
{
    if (access(path.c_str(), F_OK) == 0)
        log::server_error("core", MH_LOG_WARNING, 0,
                          "AH00098: pid file %s overwritten -- Unclean shutdown of previous modhttpd run?", path.c_str());
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        log::server_error("core", MH_LOG_ERR, errno, "AH00099: could not create %s", path.c_str());
        return false;
    }
    std::string text = std::to_string(getpid()) + "\n";
    bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
    close(fd);
    if (!ok) log::server_error("core", MH_LOG_ERR, errno, "AH00100: could not write %s", path.c_str());
    return ok;
}

void remove(const std::string &path)
{
    if (unlink(path.c_str()) != 0 && errno != ENOENT)
        log::server_error("core", MH_LOG_WARNING, errno, "AH00101: could not remove pid file %s", path.c_str());
}

}  // namespace mh::pid_file
