#include "request/path_info.h"

#include <sys/stat.h>

#include <cerrno>
#include <string>

namespace mh::path_info {

void split(mh_request &r)
{
    if (r.filename == nullptr || r.filename[0] != '/') return;
    struct stat st;
    if (stat(r.filename, &st) == 0 || (errno != ENOENT && errno != ENOTDIR)) return;
    // One stat per leading part, from the longest: the first that exists
    // decides. Anything but a regular file (a directory, a permission
    // error) leaves the name whole.
    thread_local std::string prefix;
    prefix.assign(r.filename);
    size_t end = prefix.size();
    while (end > 1) {
        size_t slash = prefix.rfind('/', end - 1);
        if (slash == std::string::npos || slash == 0) return;
        end = slash;
        while (end > 1 && prefix[end - 1] == '/') end--;  // "file.sh//x": the file is "file.sh"
        std::string part = prefix.substr(0, end);
        if (stat(part.c_str(), &st) == 0) {
            if (!S_ISREG(st.st_mode)) return;
            r.path_info = r.pool.strdup(std::string_view(prefix).substr(end));
            r.filename = r.pool.strdup(part);
            return;
        }
        if (errno != ENOENT && errno != ENOTDIR) return;
    }
}

}  // namespace mh::path_info
