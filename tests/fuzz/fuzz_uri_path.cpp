// libFuzzer target: normalize_path and split_target (core/http/uri_path.h).
//
// The input is the path part of a request-target. Checked:
//   - on success the result starts with '/', has no NUL, no empty, "." or ".."
//     segment (so no "//", "/./", "/../", no trailing "/." or "/..");
//   - it is idempotent: normalizing the result again, after writing each '%'
//     as "%25", gives the result back;
//   - it agrees (status and result) with a plain reference model written from
//     the header's contract: decode each '/'-separated segment, drop empty and
//     "." ones, pop on "..", keep a trailing slash when the last segment was
//     dropped or popped;
//   - on failure the status is 400 or 404;
//   - split_target: path + '?' + query gives the target back.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "http/uri_path.h"

namespace {

using mh::fuzz::printable;

int hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The reference: returns the status (0, 400, 404), result in `out`.
int reference(std::string_view raw, std::string &out)
{
    if (raw.empty() || raw[0] != '/') return 400;
    std::vector<std::string> stack;
    bool trailing_slash = false;
    size_t start = 1;
    for (;;) {
        size_t slash = raw.find('/', start);
        bool last = slash == std::string_view::npos;
        std::string_view piece = raw.substr(start, last ? std::string_view::npos : slash - start);
        std::string seg;
        for (size_t i = 0; i < piece.size(); ++i) {
            if (piece[i] == '\0') return 400;  // literal or encoded, a NUL is refused
            if (piece[i] != '%') {
                seg += piece[i];
                continue;
            }
            if (i + 2 >= piece.size()) return 400;  // two hex digits, in this segment
            int hi = hex(piece[i + 1]), lo = hex(piece[i + 2]);
            if (hi < 0 || lo < 0) return 400;
            char c = static_cast<char>(hi * 16 + lo);
            if (c == '\0') return 400;
            // Decoded control characters could split a header or log line.
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return 400;
            if (c == '/') return 404;
            seg += c;
            i += 2;
        }
        if (seg.empty() || seg == ".") {
            trailing_slash = true;
        } else if (seg == "..") {
            if (stack.empty()) return 400;
            stack.pop_back();
            trailing_slash = true;
        } else {
            stack.push_back(seg);
            trailing_slash = false;
        }
        if (last) break;
        start = slash + 1;
    }
    out = "/";
    for (size_t i = 0; i < stack.size(); ++i) {
        if (i) out += '/';
        out += stack[i];
    }
    if (trailing_slash && !stack.empty()) out += '/';
    return 0;
}

void check_normalized(std::string_view raw, const std::string &out)
{
    std::string ctx = printable(raw) + " -> " + printable(out);
    FUZZ_CHECK(!out.empty() && out[0] == '/', ctx);
    FUZZ_CHECK(out.find('\0') == std::string::npos, ctx);
    FUZZ_CHECK(out.find("//") == std::string::npos, ctx);
    FUZZ_CHECK(out.find("/./") == std::string::npos, ctx);
    FUZZ_CHECK(out.find("/../") == std::string::npos, ctx);
    FUZZ_CHECK(!out.ends_with("/.") && !out.ends_with("/.."), ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384) return 0;
    std::string_view raw(reinterpret_cast<const char *>(data), size);

    std::string_view path, query;
    mh::http::split_target(raw, path, query);
    if (query.data()) {
        FUZZ_CHECK(path.size() + 1 + query.size() == raw.size() && raw[path.size()] == '?', printable(raw));
        FUZZ_CHECK(path.find('?') == std::string_view::npos, printable(raw));
    } else {
        FUZZ_CHECK(path == raw, printable(raw));
    }

    std::string out;
    mh::http::PathVerdict v = mh::http::normalize_path(raw, out);
    std::string ref;
    int ref_status = reference(raw, ref);
    FUZZ_CHECK(v.status == ref_status, printable(raw) + ": status " + std::to_string(v.status) + ", reference " +
                                           std::to_string(ref_status));
    if (v.status != 0) {
        FUZZ_CHECK(v.status == 400 || v.status == 404, std::to_string(v.status));
        FUZZ_CHECK(v.reason && *v.reason, "");
        return 0;
    }
    check_normalized(raw, out);
    FUZZ_CHECK(out == ref, printable(raw) + " -> " + printable(out) + ", reference " + printable(ref));

    // Idempotent once '%' is written as %25.
    std::string encoded;
    for (char c : out) {
        if (c == '%') encoded += "%25";
        else encoded += c;
    }
    std::string again;
    mh::http::PathVerdict v2 = mh::http::normalize_path(encoded, again);
    FUZZ_CHECK(v2.status == 0 && again == out,
               printable(raw) + " -> " + printable(out) + " -> " + printable(again) + " status " + std::to_string(v2.status));
    return 0;
}
