// Small string helpers shared by the reader's files.
#pragma once

#include <string>
#include <string_view>

namespace mh::config::detail {

// apr_isspace in the C locale: what Apache trims and splits words on.
constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view s);

// ASCII case-insensitive equality: directive and section names.
bool iequals(std::string_view a, std::string_view b);

}  // namespace mh::config::detail
