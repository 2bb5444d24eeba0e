// Define, UnDefine and ${NAME} (Apache's set_define and ap_resolve_env).
#include "config/arity_internal.h"
#include "config/reader_internal.h"

#include <algorithm>
#include <cstdlib>

namespace mh::config::detail {
namespace {

void check_variable_name(const std::string &name) {
    if (name.find(':') != std::string::npos) throw Error("Variable name must not contain ':'");
}

}  // namespace

void Reader::define(const Node &node) {
    if (!takes(node, 1, 2))
        wrong_arity("Define", "1-2 arguments",
                    "Define a variable, optionally to a value.  Same as passing -D to the command line.");
    const std::string &name = node.args[0];
    check_variable_name(name);
    if (std::find(ctx_.defines.begin(), ctx_.defines.end(), name) == ctx_.defines.end())
        ctx_.defines.push_back(name);
    if (node.args.size() == 2) ctx_.variables[name] = node.args[1];
}

void Reader::undefine(const Node &node) {
    if (!takes(node, 1, 1))
        wrong_arity("UnDefine", "one argument", "Undefine the existence of a variable. Undo a Define.");
    const std::string &name = node.args[0];
    check_variable_name(name);
    std::erase(ctx_.defines, name);
    ctx_.variables.erase(name);
}

std::string Reader::expand_vars(const std::string &line) const {
    std::size_t at = line.find("${");
    if (at == std::string::npos) return line;
    std::string out;
    std::size_t done = 0;  // line[0, done) is in out
    for (; at != std::string::npos; at = line.find("${", done)) {
        std::size_t end = line.find('}', at + 2);
        if (end == std::string::npos) break;
        out.append(line, done, at - done);
        const std::string name = line.substr(at + 2, end - at - 2);
        if (auto var = ctx_.variables.find(name); var != ctx_.variables.end())
            out += var->second;
        else if (const char *env = name.find('\0') == std::string::npos ? std::getenv(name.c_str()) : nullptr)
            out += env;
        else {
            out.append(line, at, end + 1 - at);  // Apache leaves it, and warns
            if (ctx_.warn) ctx_.warn("AH00111: Config variable ${" + name + "} is not defined");
        }
        done = end + 1;
    }
    out.append(line, done);
    return out;
}

}  // namespace mh::config::detail
