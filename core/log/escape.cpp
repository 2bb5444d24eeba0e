#include "log/escape.h"

#include <array>

namespace mh::log::detail {
namespace {

// Apache's T_ESCAPE_LOGITEM: !isprint || '"' || '\\' (C locale).
constexpr std::array<bool, 256> make_table() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
    return t;
}
constexpr std::array<bool, 256> kNeedsEscape = make_table();

void append(std::string &out, std::string_view in, bool escape_quote) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t start = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(in[i]);
        if (!kNeedsEscape[c] || (c == '"' && !escape_quote)) continue;
        out.append(in.data() + start, i - start);  // the clean run before it
        start = i + 1;
        out.push_back('\\');
        switch (c) {
        case '\b': out.push_back('b'); break;
        case '\n': out.push_back('n'); break;
        case '\r': out.push_back('r'); break;
        case '\t': out.push_back('t'); break;
        case '\v': out.push_back('v'); break;
        case '"':
        case '\\': out.push_back(static_cast<char>(c)); break;
        default:
            out.push_back('x');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
        }
    }
    out.append(in.data() + start, in.size() - start);
}

}  // namespace

void append_escaped(std::string &out, std::string_view in) { append(out, in, true); }

void append_errorlog_escaped(std::string &out, std::string_view in) { append(out, in, false); }

}  // namespace mh::log::detail
