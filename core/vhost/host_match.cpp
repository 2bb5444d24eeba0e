#include "vhost/host_match.h"

#include <cctype>

namespace mh::vhost {
namespace {

char lower(char c) { return static_cast<char>(tolower(static_cast<unsigned char>(c))); }

}  // namespace

std::string normalize_host(std::string_view host)
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    std::string out(host);
    for (char &c : out) c = lower(c);
    return out;
}

bool has_wildcard(std::string_view name) { return name.find_first_of("*?") != std::string_view::npos; }

bool wildcard_match(std::string_view pattern, std::string_view host)
{
    // Iterative glob with one backtrack point: linear in practice, no recursion.
    size_t p = 0, h = 0, star = std::string_view::npos, resume = 0;
    while (h < host.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(host[h]))) {
            ++p, ++h;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = h;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            h = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace mh::vhost
