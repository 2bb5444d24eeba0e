// Regular expressions for the core and, through the api, for modules:
// PCRE2 (Perl syntax, as Apache's ap_regex). A compiled regex is immutable
// and shared; match data comes per thread.
#pragma once

#include <string>
#include <string_view>

#include "modhttpd/api.h"

struct mh_regex;

namespace mh::regex {

// nullptr with `error` set when the pattern does not compile. The regex is
// freed with delete_regex (or the pool that owns it).
mh_regex *compile(std::string_view pattern, unsigned flags, std::string &error);
void free(mh_regex *re);
// True on a match; `match` gets up to `nmatch` groups.
bool match(const mh_regex *re, std::string_view subject, mh_regmatch *match = nullptr, int nmatch = 0);
// $0..$9 of a match replaced in `tmpl`; a backslash makes the next character
// literal ("\$1" is "$1") and goes, as in Apache's ap_pregsub.
std::string substitute(std::string_view tmpl, std::string_view subject, const mh_regmatch *match, int nmatch);

}  // namespace mh::regex
