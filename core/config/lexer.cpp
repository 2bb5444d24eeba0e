// Logical lines (ap_cfg_getline) and words (ap_getword_conf), as Apache 2.4.
#include "config/config_tree.h"
#include "config/lexer_internal.h"
#include "config/text_internal.h"

namespace mh::config {
namespace detail {
namespace {

void keep_directive(std::string_view text, unsigned number, std::vector<LogicalLine> &out) {
    std::string_view t = trim(text);
    if (t.empty() || t.front() == '#') return;
    out.push_back(LogicalLine{std::string(t), number});
}

}  // namespace

std::vector<LogicalLine> split_lines(std::string_view content) {
    std::vector<LogicalLine> out;
    std::string joined;  // the directive being continued
    unsigned number = 0, start = 0;
    bool continuing = false;
    std::size_t pos = 0;
    while (pos < content.size()) {
        std::size_t end = content.find('\n', pos);
        bool has_newline = end != std::string_view::npos;
        if (!has_newline) end = content.size();
        std::string_view physical = content.substr(pos, end - pos);
        pos = has_newline ? end + 1 : content.size();
        ++number;
        if (!continuing) {
            joined.clear();
            start = number;
        }
        if (has_newline && !physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
        // Apache joins only on a backslash right before the newline, and
        // does so before looking for '#': a comment can swallow the next line.
        continuing = has_newline && !physical.empty() && physical.back() == '\\';
        if (continuing) physical.remove_suffix(1);
        joined.append(physical);
        if (!continuing) keep_directive(joined, start, out);
    }
    if (continuing) keep_directive(joined, start, out);  // "\\\n" at end of file
    return out;
}

OpenTag parse_open_tag(std::string_view line) {
    OpenTag tag;
    std::size_t i = 1;
    while (i < line.size() && !is_space(line[i]) && line[i] != '>') ++i;
    tag.name = std::string(line.substr(1, i - 1));
    std::string_view rest = line.substr(i);
    tag.closed = !rest.empty() && rest.back() == '>';
    if (tag.closed) rest.remove_suffix(1);
    tag.raw_args = std::string(trim(rest));
    return tag;
}

CloseTag parse_close_tag(std::string_view line) {
    CloseTag tag;
    std::string_view rest = line.substr(2);
    tag.closed = !rest.empty() && rest.back() == '>';
    if (tag.closed) rest.remove_suffix(1);
    tag.name = std::string(trim(rest));
    return tag;
}

void split_directive(std::string_view line, std::string &name, std::string &raw_args) {
    std::size_t i = 0;
    while (i < line.size() && !is_space(line[i])) ++i;
    name = std::string(line.substr(0, i));
    raw_args = std::string(trim(line.substr(i)));
}

}  // namespace detail

// Apache's rules: a quote groups only at the start of a word; inside it a
// backslash escapes only that quote or a backslash, and outside quotes "\\"
// becomes "\". Other backslashes stay, so regexes and LogFormat's "\t" survive.
std::vector<std::string> split_words(const std::string &text) {
    using detail::is_space;
    std::vector<std::string> words;
    const std::size_t n = text.size();
    std::size_t i = 0;
    for (;;) {
        while (i < n && is_space(text[i])) ++i;
        if (i == n) return words;
        std::string word;
        const char quote = text[i];
        if (quote == '"' || quote == '\'') {
            const std::size_t open = i++;
            while (i < n && text[i] != quote) {
                if (text[i] == '\\' && i + 1 < n && (text[i + 1] == quote || text[i + 1] == '\\')) ++i;
                word.push_back(text[i++]);
            }
            if (i == n) {
                constexpr std::size_t kShown = 80;  // keep the message one readable line
                std::string shown = text.substr(open, kShown);
                if (n - open > kShown) shown += "...";
                throw Error("Unmatched quote in: " + shown);
            }
            ++i;  // the closing quote
        } else {
            while (i < n && !is_space(text[i])) {
                if (text[i] == '\\' && i + 1 < n && text[i + 1] == '\\') ++i;
                word.push_back(text[i++]);
            }
        }
        words.push_back(std::move(word));
    }
}

}  // namespace mh::config
