// libFuzzer target: the configuration reader (core/config/config_tree.h).
//
// The input, up to its first NUL byte, is written as main.conf in a temporary
// ServerRoot; what follows that NUL, if any, as extra.conf (so that Include
// reads fuzzed text too). The ServerRoot also holds a few fixed files:
//
//   conf.d/10-listen.conf  conf.d/20-define.conf  conf.d/.hidden.conf
//   conf.d/sub/30-dir.conf  bad.conf  empty.conf  modules/mod_a.so
//
// read_config runs with a ReaderContext whose load_module records (and
// throws for "fail_module" and "throw_module") and whose module_loaded knows
// a fixed set plus what was loaded. File access is confined to the ServerRoot
// (fuzz_config_sandbox.h). Checked:
//   - read_config throws nothing but config::Error; an Error has a message,
//     and full_message() works with or without an origin;
//   - the tree is sane: names non-empty, origins set, children only in
//     sections, no Include/Define/UnDefine and no <IfDefine>/<IfModule>/<IfFile>
//     left, every origin names a file under the ServerRoot (or -C/-c);
//   - split_words on each line of the input: throws only config::Error; with
//     no quote or backslash it splits exactly at whitespace.
// Leaks and hangs are libFuzzer's to notice (input size is capped).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_tree.h"
#include "fuzz_check.h"
#include "fuzz_config_sandbox.h"

namespace {

namespace fs = std::filesystem;
using mh::config::Error;
using mh::config::Node;
using mh::config::OriginPtr;
using mh::fuzz::printable;

std::string g_root;  // the sandboxed ServerRoot

void write_file(const std::string &rel, std::string_view text)
{
    fs::path p = fs::path(g_root) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    FUZZ_CHECK(out.good(), "cannot write " + p.string());
}

void remove_root() { fs::remove_all(g_root); }

void make_root()
{
    const char *tmp = std::getenv("TMPDIR");
    std::string base = tmp && *tmp ? tmp : (fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp");
    std::string tmpl = base + "/mh-fuzz-config-XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp " + tmpl);
    g_root = fs::canonical(tmpl).string();
    std::atexit(remove_root);
    write_file("conf.d/10-listen.conf",
               "Listen 8080\n<IfModule mod_x.c>\n  XDirective on\n</IfModule>\n<IfModule !mod_x.c>\n"
               "  NoX \"printable arg\" 'single'\n</IfModule>\n");
    write_file("conf.d/20-define.conf", "Define FROM_CONF_D yes\n<IfDefine FUZZ>\nInFuzz ${FROM_CONF_D}\n</IfDefine>\n");
    write_file("conf.d/.hidden.conf", "Hidden \\\n  continued\n");
    write_file("conf.d/sub/30-dir.conf",
               "<Directory \"/srv/www\">\n  Options None\n  <Files *.php>\n    Require all denied\n"
               "  </Files>\n</Directory>\n");
    write_file("bad.conf", "</Directory>\n");
    write_file("empty.conf", "");
    write_file("modules/mod_a.so", "");
}

const std::vector<std::string> kLoadedModules = {"core_module", "mod_x.c",       "so_module",
                                                  "mod_so.c",    "status_module", "mod_status.c"};

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// What the reader executes and so never leaves in the tree.
bool executed(const Node &n)
{
    if (n.is_section) return iequals(n.name, "IfDefine") || iequals(n.name, "IfModule") || iequals(n.name, "IfFile");
    return iequals(n.name, "Include") || iequals(n.name, "IncludeOptional") || iequals(n.name, "Define") ||
           iequals(n.name, "UnDefine");
}

void check_origin(const OriginPtr &o)
{
    FUZZ_CHECK(o != nullptr, "node without origin");
    unsigned depth = 0;
    for (const mh::config::Origin *p = o.get(); p; p = p->included_from.get()) {
        FUZZ_CHECK(p->line >= 1, p->file);
        FUZZ_CHECK(p->file == "-C" || p->file == "-c" || p->file.starts_with(g_root + "/"), p->file);
        FUZZ_CHECK(++depth <= 130, "include chain too long");
    }
}

void check_tree(const std::vector<Node> &nodes, unsigned depth)
{
    FUZZ_CHECK(depth <= 257, "sections nested too deep");
    for (const Node &n : nodes) {
        FUZZ_CHECK(!n.name.empty(), "node without a name");
        FUZZ_CHECK(!executed(n), "executed directive left in the tree: " + printable(n.name));
        check_origin(n.origin);
        if (!n.is_section) FUZZ_CHECK(n.children.empty(), "children on a directive");
        check_tree(n.children, depth + 1);
    }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

void check_split_words(std::string_view line)
{
    std::string text(line);
    std::vector<std::string> words;
    try {
        words = mh::config::split_words(text);
    } catch (const Error &e) {
        FUZZ_CHECK(std::string_view(e.what()).starts_with("Unmatched quote"), e.what());
        return;
    }
    size_t total = 0;
    for (const std::string &w : words) total += w.size();
    FUZZ_CHECK(total <= text.size(), printable(text));
    if (text.find_first_of("\"'\\") == std::string::npos) {
        std::vector<std::string> plain;
        for (size_t i = 0; i < text.size();) {
            while (i < text.size() && is_space(text[i])) ++i;
            size_t j = i;
            while (j < text.size() && !is_space(text[j])) ++j;
            if (j > i) plain.emplace_back(text.substr(i, j - i));
            i = j;
        }
        FUZZ_CHECK(words == plain, printable(text));
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    make_root();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384) return 0;
    std::string_view input(reinterpret_cast<const char *>(data), size);
    size_t nul = input.find('\0');
    std::string_view main_text = input.substr(0, nul);

    // split_words on every physical line of the main file.
    for (size_t pos = 0; pos <= main_text.size();) {
        size_t end = std::min(main_text.find('\n', pos), main_text.size());
        check_split_words(main_text.substr(pos, end - pos));
        pos = end + 1;
    }

    write_file("main.conf", main_text);
    if (nul != std::string_view::npos) write_file("extra.conf", input.substr(nul + 1));
    else fs::remove(fs::path(g_root) / "extra.conf");

    std::vector<std::string> loads;
    mh::config::ReaderContext ctx;
    ctx.server_root = g_root;
    ctx.defines = {"FUZZ"};
    ctx.load_module = [&loads](const std::string &symbol, const std::string &path, const OriginPtr &origin) {
        FUZZ_CHECK(!path.empty() && path[0] == '/', printable(path));
        FUZZ_CHECK(origin != nullptr, "LoadModule without origin");
        if (symbol == "fail_module") throw Error("Cannot load " + path + " into server: fuzz says no");
        if (symbol == "throw_module") throw std::runtime_error("not a config::Error");
        loads.push_back(symbol);
    };
    ctx.module_loaded = [&loads](const std::string &name) {
        return std::find(kLoadedModules.begin(), kLoadedModules.end(), name) != kLoadedModules.end() ||
               std::find(loads.begin(), loads.end(), name) != loads.end();
    };

    std::vector<Node> tree;
    mh::fuzz::sandbox_enter(g_root);
    try {
        tree = mh::config::read_config("main.conf", ctx, {"Define PRE_C", "ServerName pre.example"},
                                       {"ServerAdmin post@example"});
    } catch (const Error &e) {
        mh::fuzz::sandbox_leave();
        if (mh::fuzz::verbose()) std::fprintf(stderr, "Error: %s\n", e.full_message().c_str());
        FUZZ_CHECK(*e.what() != '\0', "Error without a message");
        std::string full = e.full_message();
        FUZZ_CHECK(full.size() >= std::string_view(e.what()).size(), full);
        if (e.origin()) check_origin(e.origin());
        return 0;
    }
    mh::fuzz::sandbox_leave();
    if (mh::fuzz::verbose()) std::fprintf(stderr, "read %zu top-level nodes\n", tree.size());
    check_tree(tree, 0);
    // ServerRoot may have moved it; it must still be absolute.
    FUZZ_CHECK(!ctx.server_root.empty() && ctx.server_root[0] == '/', printable(ctx.server_root));
    return 0;
}
