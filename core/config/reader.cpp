// The structure of the configuration: files, sections and their nesting.
#include "config/reader_internal.h"
#include "config/text_internal.h"

#include <algorithm>

namespace mh::config {
namespace detail {
namespace {

constexpr std::size_t kMaxIncludeDepth = 128;  // AP_MAX_INCLUDE_DEPTH
// Apache has no limit; ours keeps the recursive reader (and the recursive
// destruction of Node) far from the end of the stack on hostile input.
constexpr unsigned kMaxSectionDepth = 256;

class DepthGuard {
public:
    explicit DepthGuard(unsigned &depth) : depth_(depth) {
        if (depth_ >= kMaxSectionDepth)
            throw Error("Sections nested deeper than " + std::to_string(kMaxSectionDepth) + " levels");
        ++depth_;
    }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard &) = delete;
    DepthGuard &operator=(const DepthGuard &) = delete;

private:
    unsigned &depth_;
};

}  // namespace

void Reader::read_file(const std::string &path, const OriginPtr &included_from, std::vector<Node> &out) {
    FileText text = read_text(path);
    if (std::find(reading_.begin(), reading_.end(), text.id) != reading_.end())
        throw Error("Recursive Include of " + path + ": that file is already being read");
    if (reading_.size() >= kMaxIncludeDepth)
        throw Error("Exceeded the maximum include directory nesting level of " + std::to_string(kMaxIncludeDepth) +
                    ". You have probably a recursion somewhere.");
    const std::vector<LogicalLine> lines = split_lines(text.content);
    text.content.clear();
    reading_.push_back(text.id);  // not popped on error: the reader is dropped then
    Cursor cur{lines, 0, path, included_from};
    read_block(cur, &out, nullptr);
    reading_.pop_back();
}

void Reader::read_lines(const std::string &file, const std::vector<LogicalLine> &lines, std::vector<Node> &out) {
    static const OriginPtr kNoInclude;
    Cursor cur{lines, 0, file, kNoInclude};
    read_block(cur, &out, nullptr);
}

void Reader::read_block(Cursor &cur, std::vector<Node> *out, const Node *open) {
    while (cur.pos < cur.lines.size()) {
        const LogicalLine &line = cur.lines[cur.pos++];
        auto origin = std::make_shared<const Origin>(Origin{cur.file, line.number, cur.included_from});
        try {
            if (read_line(cur, out, open, line.text, origin)) return;
        } catch (const Error &e) {
            if (e.origin()) throw;  // from a nested section or an included file
            throw Error(e.what(), origin);
        }
    }
    if (open) throw Error("<" + open->name + "> was not closed.", open->origin);
}

bool Reader::read_line(Cursor &cur, std::vector<Node> *out, const Node *open, const std::string &raw,
                       const OriginPtr &origin) {
    std::string line = out ? std::string(trim(expand_vars(raw))) : raw;
    if (line.empty()) return false;  // a ${VAR} that expanded to nothing
    if (line.starts_with("</")) {
        CloseTag tag = parse_close_tag(line);
        if (out && !tag.closed) throw Error("</" + tag.name + "> directive missing closing '>'");
        if (!open) throw Error("</" + tag.name + "> without matching <" + tag.name + "> section");
        if (!iequals(tag.name, open->name))
            throw Error("Expected </" + open->name + "> but saw </" + tag.name + ">");
        return true;
    }
    if (line.front() == '<')
        read_section(cur, out, line, origin);
    else if (out)
        read_directive(line, origin, *out);
    return false;
}

void Reader::read_section(Cursor &cur, std::vector<Node> *out, const std::string &line, const OriginPtr &origin) {
    OpenTag tag = parse_open_tag(line);
    if (tag.name.empty()) throw Error("Missing section name after '<'");
    if (out && !tag.closed) throw Error("<" + tag.name + "> directive missing closing '>'");
    DepthGuard guard(section_depth_);
    Node head;
    head.name = std::move(tag.name);
    head.raw_args = std::move(tag.raw_args);
    head.origin = origin;
    head.is_section = true;
    if (!out) return read_block(cur, nullptr, &head);
    head.args = split_words(head.raw_args);
    // <IfDefine>/<IfModule> are flattened: the body joins the parent, or is skipped.
    if (std::optional<bool> keep = condition(head)) return read_block(cur, *keep ? out : nullptr, &head);
    read_block(cur, &head.children, &head);
    out->push_back(std::move(head));
}

void Reader::read_directive(const std::string &line, const OriginPtr &origin, std::vector<Node> &out) {
    Node node;
    split_directive(line, node.name, node.raw_args);
    node.args = split_words(node.raw_args);
    node.origin = origin;
    if (!execute(node, out)) out.push_back(std::move(node));
}

namespace {

// -C/-c: each string is one line; embedded line breaks are just blanks.
std::vector<LogicalLine> command_lines(const std::vector<std::string> &directives) {
    std::vector<LogicalLine> lines;
    for (std::size_t i = 0; i < directives.size(); ++i) {
        std::string text = directives[i];
        std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
        std::string_view t = trim(text);
        if (!t.empty() && t.front() != '#') lines.push_back(LogicalLine{std::string(t), static_cast<unsigned>(i + 1)});
    }
    return lines;
}

}  // namespace
}  // namespace detail

std::vector<Node> read_config(const std::string &file, ReaderContext &ctx, const std::vector<std::string> &pre,
                              const std::vector<std::string> &post) {
    detail::Reader reader(ctx);
    std::vector<Node> out;
    reader.read_lines("-C", detail::command_lines(pre), out);
    // Resolved after -C, which may set ServerRoot (Apache does the same).
    reader.read_file(reader.root_relative(file), nullptr, out);
    reader.read_lines("-c", detail::command_lines(post), out);
    return out;
}

}  // namespace mh::config
