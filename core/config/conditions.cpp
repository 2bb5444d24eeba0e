// <IfDefine>, <IfModule> and <IfFile>, decided while reading.
#include "config/arity_internal.h"
#include "config/reader_internal.h"
#include "config/text_internal.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <sys/stat.h>

namespace mh::config::detail {
namespace {

enum class Test { define, module, file };

struct Conditional {
    std::string_view name;
    Test test;
    const char *help;  // Apache's, for its "takes one argument" message
};

constexpr Conditional kConditionals[] = {
    {"IfDefine", Test::define, "Container for directives based on existence of command line defines"},
    {"IfModule", Test::module, "Container for directives based on existence of specified modules"},
    {"IfFile", Test::file, "Container for directives based on existence of files on disk"},
};

}  // namespace

std::optional<bool> Reader::condition(const Node &section) const {
    const auto *c = std::find_if(std::begin(kConditionals), std::end(kConditionals),
                                 [&section](const Conditional &k) { return iequals(section.name, k.name); });
    if (c == std::end(kConditionals)) return std::nullopt;
    std::string tag = "<";  // not "<" + string: GCC 12's -Wrestrict false positive at -O2
    tag += c->name;
    if (section.args.size() > 1) wrong_arity(tag, "one argument", c->help);
    std::string arg = section.args.empty() ? "" : section.args[0];
    const bool negate = !arg.empty() && arg.front() == '!';
    if (negate) arg.erase(0, 1);
    if (arg.empty()) throw Error(tag + "> directive requires additional arguments");
    bool found = false;
    switch (c->test) {
    case Test::define:
        found = std::find(ctx_.defines.begin(), ctx_.defines.end(), arg) != ctx_.defines.end();
        break;
    case Test::module: found = ctx_.module_loaded && ctx_.module_loaded(arg); break;
    case Test::file: {
        struct stat st {};
        found = ::stat(root_relative(arg).c_str(), &st) == 0;
        break;
    }
    }
    return found != negate;
}

}  // namespace mh::config::detail
