// Writing a whole buffer to a log: with O_APPEND each write(2) lands at the
// end as one unit, so a line is one call unless the kernel writes it short.
#pragma once

#include <cstddef>

namespace mh::log::detail {

// Loops over EINTR and short writes. Returns 0, or the errno that stopped it
// (then `*written`, when given, says how much of the buffer was written).
int write_all(int fd, const char *data, std::size_t len, std::size_t *written = nullptr);

}  // namespace mh::log::detail
