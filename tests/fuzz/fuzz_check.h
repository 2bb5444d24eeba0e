// An invariant check for the fuzz targets: a failure prints what was expected
// and aborts, which libFuzzer reports as a crash and saves the input for.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace mh::fuzz {

[[noreturn]] inline void check_failed(const char *file, int line, const char *cond, const std::string &detail)
{
    std::fprintf(stderr, "\n==fuzz== invariant failed at %s:%d: %s\n", file, line, cond);
    if (!detail.empty()) std::fprintf(stderr, "==fuzz== %s\n", detail.c_str());
    std::fflush(stderr);
    std::abort();
}

// FUZZ_ALL_CHECKS=1 turns on the checks that hit a known, still open finding
// (docs/fuzzing.md, "Open findings"). They are off by default so that the
// short run in the test suite stays green until the fix lands; `run.sh replay`
// sets it, so the reproducers in tests/fuzz/crashes/ keep failing until then.
inline bool all_checks()
{
    static const bool on = [] {
        const char *v = std::getenv("FUZZ_ALL_CHECKS");
        return v && *v && *v != '0';
    }();
    return on;
}

// FUZZ_VERBOSE=1: targets print what each input did (for replaying one input).
inline bool verbose()
{
    static const bool on = [] {
        const char *v = std::getenv("FUZZ_VERBOSE");
        return v && *v && *v != '0';
    }();
    return on;
}

// Printable form of bytes for messages: C escapes, cut after `max` bytes.
inline std::string printable(std::string_view s, size_t max = 200)
{
    std::string out = "\"";
    for (size_t i = 0; i < s.size() && i < max; ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\\' || c == '"') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else out += static_cast<char>(c);
    }
    if (s.size() > max) out += "...";
    return out + "\"";
}

}  // namespace mh::fuzz

#define FUZZ_CHECK(cond, detail)                                                        \
    do {                                                                                \
        if (!(cond)) ::mh::fuzz::check_failed(__FILE__, __LINE__, #cond, (detail));     \
    } while (0)
