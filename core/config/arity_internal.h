// Apache's argument-count checks for the directives the reader runs.
#pragma once

#include "config/config_tree.h"

#include <algorithm>
#include <string>

namespace mh::config::detail {

// Between min and max words; like Apache, an empty word ("") among the
// required ones counts as missing.
inline bool takes(const Node &node, std::size_t min, std::size_t max) {
    if (node.args.size() < min || node.args.size() > max) return false;
    return std::none_of(node.args.begin(), node.args.begin() + static_cast<std::ptrdiff_t>(min),
                        [](const std::string &a) { return a.empty(); });
}

// "Include takes one argument, <the directive's help text>"
[[noreturn]] inline void wrong_arity(const std::string &name, const char *count, const char *help) {
    throw Error(name + " takes " + count + ", " + help);
}

}  // namespace mh::config::detail
