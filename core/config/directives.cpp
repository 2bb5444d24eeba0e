// The directives Apache runs while reading (EXEC_ON_READ): Include,
// ServerRoot, LoadModule, with its messages (server/core.c, mod_so.c).
#include "config/arity_internal.h"
#include "config/reader_internal.h"
#include "config/text_internal.h"

#include <filesystem>

namespace mh::config::detail {

bool Reader::execute(const Node &node, std::vector<Node> &out) {
    const std::string &name = node.name;
    if (iequals(name, "Include") || iequals(name, "IncludeOptional")) {
        include(node, iequals(name, "IncludeOptional"), out);
        return true;
    }
    if (iequals(name, "Define")) {
        define(node);
        return true;
    }
    if (iequals(name, "UnDefine")) {
        undefine(node);
        return true;
    }
    // ServerRoot and LoadModule stay in the tree: later stages report them.
    if (iequals(name, "ServerRoot")) server_root(node);
    if (iequals(name, "LoadModule")) load_module(node);
    return false;
}

void Reader::include(const Node &node, bool optional, std::vector<Node> &out) {
    if (!takes(node, 1, 1)) {
        if (optional)
            wrong_arity("IncludeOptional", "one argument",
                        "Name or pattern of the config file(s) to be included; ignored if the file does not "
                        "exist or the pattern does not match any files");
        wrong_arity("Include", "one argument",
                    "Name(s) of the config file(s) to be included; fails if the wildcard does not match at "
                    "least one file");
    }
    for (const std::string &file : expand_include(root_relative(node.args[0]), optional))
        read_file(file, node.origin, out);
}

void Reader::server_root(const Node &node) {
    if (!takes(node, 1, 1))
        wrong_arity("ServerRoot", "one argument", "Common directory of server-related files (logs, confs, etc.)");
    std::string root = make_absolute("", node.args[0]);  // relative to the current directory
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) throw Error("ServerRoot must be a valid directory");
    ctx_.server_root = root;
}

void Reader::load_module(const Node &node) {
    if (!takes(node, 2, 2))
        throw Error("LoadModule takes two arguments, a module name and the name of a shared object file to load "
                    "it from");
    const std::string path = root_relative(node.args[1]);
    if (!ctx_.load_module) return;
    try {
        ctx_.load_module(node.args[0], path, node.origin);
    } catch (const Error &) {
        throw;  // read_block adds this line's origin when it has none
    } catch (const std::exception &e) {
        throw Error(e.what());
    }
}

}  // namespace mh::config::detail
