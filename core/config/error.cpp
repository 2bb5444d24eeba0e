// Apache's error prefix: one "Syntax error on line N of FILE: " per Include step.
#include "config/config_tree.h"

#include <vector>

namespace mh::config {

std::string describe(const Origin &origin) {
    std::vector<const Origin *> chain;  // innermost first
    for (const Origin *o = &origin; o; o = o->included_from.get()) chain.push_back(o);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        out += "Syntax error on line " + std::to_string((*it)->line) + " of " + (*it)->file + ": ";
    return out;
}

std::string Error::full_message() const {
    return origin_ ? describe(*origin_) + what() : std::string(what());
}

}  // namespace mh::config
