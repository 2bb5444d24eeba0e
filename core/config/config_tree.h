// The configuration file as a tree of directives, after reading.
//
// Reading handles everything Apache executes while it reads (EXEC_ON_READ):
// line continuation, comments, quoting, Include/IncludeOptional, <IfDefine>,
// <IfModule>, Define, ServerRoot and LoadModule. What is left is a tree of
// plain directives and <Directory>/<Location> sections for the applier.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace mh::config {

// Where a line came from: the file, the line, and the Include that pulled the
// file in (nullptr for the main file). Errors name the whole chain, as Apache
// does: "Syntax error on line 3 of A: Syntax error on line 9 of B: ...".
struct Origin {
    std::string file;  // absolute path
    unsigned line = 0;
    std::shared_ptr<const Origin> included_from;
};
using OriginPtr = std::shared_ptr<const Origin>;

// "Syntax error on line N of FILE: " for each step of the chain, outermost first.
std::string describe(const Origin &origin);

struct Node {
    std::string name;               // as written, without '<' and '>': "Listen", "Directory"
    std::vector<std::string> args;  // words, quotes removed, backslash escapes applied
    std::string raw_args;           // the rest of the line after the name, trimmed
                                    // (for a section: without the closing '>')
    OriginPtr origin;
    bool is_section = false;        // <Name args> ... </Name>
    std::vector<Node> children;     // only for sections
};

// A configuration error. what() is the bare message; origin, when set,
// says where. full_message() gives Apache's one-line form without the
// program-name prefix: "Syntax error on line 7 of /etc/x.conf: Invalid command 'Bogus', ..."
class Error : public std::runtime_error {
public:
    explicit Error(const std::string &message, OriginPtr origin = nullptr)
        : std::runtime_error(message), origin_(std::move(origin)) {}
    const OriginPtr &origin() const { return origin_; }
    std::string full_message() const;

private:
    OriginPtr origin_;
};

// What reading needs from the rest of the server.
struct ReaderContext {
    std::string server_root;                 // absolute; ServerRoot in the file changes it
    std::vector<std::string> defines;        // -D names; Define adds to it
    std::map<std::string, std::string> variables;  // Define NAME value: ${NAME}
    // LoadModule <symbol> <path>: path already made absolute against server_root.
    // Throws Error (without origin: the reader adds it) when the module cannot be loaded.
    std::function<void(const std::string &symbol, const std::string &path, const OriginPtr &)> load_module;
    // <IfModule name>: name is a module symbol ("status_module") or a
    // source file name ("mod_status.c").
    std::function<bool(const std::string &name)> module_loaded;
    // A warning about the configuration ("AH00111: Config variable ${X} is
    // not defined"); nothing is said when unset.
    std::function<void(const std::string &message)> warn;
};

// Reads `file` (absolute, or relative to ctx.server_root) and everything it
// includes. `pre` and `post` are -C and -c directives: read before and after
// the file, as if written there (their origin file is "-C"/"-c"). Throws Error.
std::vector<Node> read_config(const std::string &file, ReaderContext &ctx,
                              const std::vector<std::string> &pre = {},
                              const std::vector<std::string> &post = {});

// Splits one logical line's argument text into words, Apache style:
// whitespace separates, "double" and 'single' quotes group, backslash
// escapes the next character inside quotes. Throws Error on an unmatched quote.
std::vector<std::string> split_words(const std::string &text);

}  // namespace mh::config
