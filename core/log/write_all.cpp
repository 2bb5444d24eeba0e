#include "log/write_all.h"

#include <cerrno>
#include <unistd.h>

namespace mh::log::detail {

int write_all(int fd, const char *data, std::size_t len, std::size_t *written) {
    std::size_t done = 0;
    int err = 0;
    while (done < len) {
        ssize_t n = ::write(fd, data + done, len - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        // A regular file never takes 0 bytes of a non-empty write; do not spin.
        if (n == 0) {
            err = EIO;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (written) *written = done;
    return err;
}

}  // namespace mh::log::detail
