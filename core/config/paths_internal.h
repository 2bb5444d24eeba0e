// Files and paths for the reader: ServerRoot-relative names, reading a
// configuration file, and expanding an Include argument into files.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace mh::config::detail {

// `path` when absolute, else `root`/`path` (the current directory when root
// is empty); "." and ".." resolved lexically; no trailing slash.
// Throws Error (without origin) on a NUL byte, which no file name can hold.
std::string make_absolute(const std::string &root, const std::string &path);

// Identity of an open file, to notice an Include that would recurse.
struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const FileId &) const = default;
};

struct FileText {
    std::string content;
    FileId id;
};

// The whole file. Like Apache, only regular files (and /dev/null) are read,
// so a FIFO or a device cannot hang startup. Throws Error (without origin):
// "Could not open configuration file PATH: REASON".
FileText read_text(const std::string &path);

// The files an absolute Include argument names, in the order Apache reads
// them: wildcards in any component (sorted matches, no leading '.'),
// directories read whole and recursively (sorted). With `optional`, missing
// files and empty matches are skipped. Throws Error (without origin).
std::vector<std::string> expand_include(const std::string &path, bool optional);

}  // namespace mh::config::detail
