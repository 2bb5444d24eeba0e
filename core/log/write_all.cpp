#include "log/write_all.h"

#include <cerrno>
#include <unistd.h>

namespace mh::log::detail {

int write_all(int fd, const char *data, std::size_t len) {
    while (len > 0) {
        ssize_t n = ::write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        // A regular file never takes 0 bytes of a non-empty write; do not spin.
        if (n == 0) return EIO;
        data += n;
        len -= static_cast<std::size_t>(n);
    }
    return 0;
}

}  // namespace mh::log::detail
