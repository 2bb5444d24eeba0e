// Test helpers: a temporary ServerRoot with files written by the test, a
// ReaderContext that records LoadModule calls, and a compact tree dump.
#pragma once

#include "config/config_tree.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mh::config::test {

class Sandbox {
public:
    std::string root;                  // the ServerRoot, absolute
    std::vector<std::string> loads;    // "symbol path file:line" per LoadModule
    std::vector<std::string> modules;  // what <IfModule> sees as loaded
    ReaderContext ctx;

    Sandbox() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "mh-config-test-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        root = tmpl;
        ctx.server_root = root;
        ctx.load_module = [this](const std::string &symbol, const std::string &path, const OriginPtr &origin) {
            loads.push_back(symbol + " " + path + " " + origin->file + ":" + std::to_string(origin->line));
            modules.push_back(symbol);
        };
        ctx.module_loaded = [this](const std::string &name) {
            return std::find(modules.begin(), modules.end(), name) != modules.end();
        };
    }
    ~Sandbox() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
    Sandbox(const Sandbox &) = delete;
    Sandbox &operator=(const Sandbox &) = delete;

    std::string path(const std::string &rel) const { return root + "/" + rel; }

    // Writes root/rel (creating directories) and returns its absolute path.
    std::string write(const std::string &rel, const std::string &content) {
        std::string p = path(rel);
        std::filesystem::create_directories(std::filesystem::path(p).parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

    std::vector<Node> read(const std::string &file = "main.conf", const std::vector<std::string> &pre = {},
                           const std::vector<std::string> &post = {}) {
        return read_config(file, ctx, pre, post);
    }

    // The error's full message, or "(no error)".
    std::string error(const std::string &file = "main.conf", const std::vector<std::string> &pre = {},
                      const std::vector<std::string> &post = {}) {
        try {
            read(file, pre, post);
        } catch (const Error &e) {
            return e.full_message();
        }
        return "(no error)";
    }

    // "Syntax error on line N of root/file: " for a file in the sandbox.
    std::string at(const std::string &file, unsigned line) const {
        return "Syntax error on line " + std::to_string(line) + " of " + path(file) + ": ";
    }
};

// Name(arg|arg){children;...};Next(...)
inline std::string dump(const std::vector<Node> &nodes) {
    std::string out;
    for (const Node &n : nodes) {
        if (!out.empty()) out += ";";
        out += n.name + "(";
        for (std::size_t i = 0; i < n.args.size(); ++i) out += (i ? "|" : "") + n.args[i];
        out += ")";
        if (n.is_section) out += "{" + dump(n.children) + "}";
    }
    return out;
}

}  // namespace mh::config::test
