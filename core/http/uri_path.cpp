#include "http/uri_path.h"

namespace mh::http {
namespace {

int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Drops the last segment of out (which starts with '/'), keeping that '/'.
bool pop_segment(std::string &out)
{
    if (out.size() <= 1) return false;  // already at the root
    size_t slash = out.find_last_of('/', out.size() - 2);
    out.resize(slash + 1);
    return true;
}

}  // namespace

void split_target(std::string_view target, std::string_view &path, std::string_view &query)
{
    size_t q = target.find('?');
    path = target.substr(0, q);
    query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

PathVerdict normalize_path(std::string_view raw, std::string &out)
{
    out.clear();
    out.reserve(raw.size() + 1);
    out.push_back('/');
    if (raw.empty() || raw.front() != '/') return {400, "path does not start with '/'"};

    std::string segment;
    size_t i = 1;
    while (i <= raw.size()) {
        // Decode one segment up to the next literal '/'.
        segment.clear();
        for (; i < raw.size() && raw[i] != '/'; ++i) {
            char c = raw[i];
            if (c == '\0') return {400, "NUL in path"};  // the parser never lets one through; still
            if (c == '%') {
                if (i + 2 >= raw.size())
                    return {400, "malformed %-escape in path"};
                int hi = hex_value(raw[i + 1]), lo = hex_value(raw[i + 2]);
                if (hi < 0 || lo < 0) return {400, "malformed %-escape in path"};
                c = static_cast<char>(hi * 16 + lo);
                if (c == '\0') return {400, "encoded NUL in path"};
                // A decoded CR or LF would split any header or log line a
                // module builds from the path; no file name of a site needs one.
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                    return {400, "encoded control character in path"};
                if (c == '/') return {404, "encoded '/' in path"};
                i += 2;
            }
            segment.push_back(c);
        }
        bool last = i >= raw.size();
        ++i;  // past the '/'
        if (segment.empty() || segment == ".") {
            continue;  // "//" and "/./" collapse
        }
        if (segment == "..") {
            if (!pop_segment(out)) return {400, "path climbs above the root"};
            continue;
        }
        out += segment;
        if (!last) out.push_back('/');
    }
    // A path that ended in "/." or "/.." names a directory: keep its slash.
    return {};
}

}  // namespace mh::http
