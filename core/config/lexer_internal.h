// From file text to logical lines, and from a line to its name and arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mh::config::detail {

// One directive after continuation, trimming and comment removal.
struct LogicalLine {
    std::string text;     // trimmed, never empty, never a comment
    unsigned number = 0;  // physical line where the directive starts (1-based)
};

// Splits file text into directives: a '\' right before the end of a line
// joins the next line; lines whose first non-blank character is '#' and
// blank lines are dropped. CRLF is accepted.
std::vector<LogicalLine> split_lines(std::string_view content);

// "<Name args>": name and the text up to the closing '>'. `closed` is false
// when the line does not end with '>'.
struct OpenTag {
    std::string name;
    std::string raw_args;
    bool closed = false;
};
OpenTag parse_open_tag(std::string_view line);  // line starts with '<'

// "</Name>": the name, without the '>' (whose absence sets `closed` false).
struct CloseTag {
    std::string name;
    bool closed = false;
};
CloseTag parse_close_tag(std::string_view line);  // line starts with "</"

// "Name rest of line": the first blank-separated word and the trimmed rest.
void split_directive(std::string_view line, std::string &name, std::string &raw_args);

}  // namespace mh::config::detail
