// The reader's state while it walks the main file, its includes and -C/-c.
#pragma once

#include "config/config_tree.h"
#include "config/lexer_internal.h"
#include "config/paths_internal.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mh::config::detail {

class Reader {
public:
    explicit Reader(ReaderContext &ctx) : ctx_(ctx) {}

    // Reads `path` (absolute) into `out`; `included_from` is the Include
    // line, nullptr for the main file.
    void read_file(const std::string &path, const OriginPtr &included_from, std::vector<Node> &out);

    // Reads ready-made lines (-C/-c) as if they were a file named `file`.
    void read_lines(const std::string &file, const std::vector<LogicalLine> &lines, std::vector<Node> &out);

    std::string root_relative(const std::string &path) const { return make_absolute(ctx_.server_root, path); }

private:
    struct Cursor {
        const std::vector<LogicalLine> &lines;
        std::size_t pos;
        const std::string &file;
        const OriginPtr &included_from;
    };

    // reader.cpp: structure. `out` is nullptr inside a false <IfDefine>/<IfModule>:
    // lines are then only checked for section nesting, never executed.
    void read_block(Cursor &cur, std::vector<Node> *out, const Node *open);
    // True when the line is the closing tag of `open`.
    bool read_line(Cursor &cur, std::vector<Node> *out, const Node *open, const std::string &raw,
                   const OriginPtr &origin);
    void read_section(Cursor &cur, std::vector<Node> *out, const std::string &line, const OriginPtr &origin);
    void read_directive(const std::string &line, const OriginPtr &origin, std::vector<Node> &out);

    // directives.cpp, conditions.cpp, variables.cpp: what Apache executes
    // while reading (EXEC_ON_READ). execute() is true when it consumed the
    // node (Include, Define, UnDefine), which then stays out of the tree.
    bool execute(const Node &node, std::vector<Node> &out);
    // <IfDefine>/<IfModule>/<IfFile>: whether the body is kept; nullopt for other sections.
    std::optional<bool> condition(const Node &section) const;
    void include(const Node &node, bool optional, std::vector<Node> &out);
    void define(const Node &node);
    void undefine(const Node &node);
    void server_root(const Node &node);
    void load_module(const Node &node);
    // ${NAME}: a Define value, else the environment; unknown names stay as written.
    std::string expand_vars(const std::string &line) const;

    ReaderContext &ctx_;
    std::vector<FileId> reading_;              // the Include chain being read
    unsigned section_depth_ = 0;
};

}  // namespace mh::config::detail
