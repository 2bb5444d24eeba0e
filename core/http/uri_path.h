// The one place where a request path is percent-decoded and normalised,
// before any module sees it: nothing after this can be tricked into leaving
// the document root with "..", "%2e%2e", an encoded slash or a NUL byte.
#pragma once

#include <string>
#include <string_view>

namespace mh::http {

struct PathVerdict {
    int status = 0;            // 0, 400 or 404
    const char *reason = "";
};

// `raw` is the path part of the request-target (no query). On success `out`
// holds the decoded path: it starts with '/', has no "." or ".." segments and
// no empty segments ("//" is merged, as Apache's MergeSlashes On).
// Refused: a malformed %-escape (400), a NUL, encoded or not (400), ".."
// above the root (400), an encoded '/' (404, as Apache's AllowEncodedSlashes
// Off).
PathVerdict normalize_path(std::string_view raw, std::string &out);

// Splits an origin-form target at '?': path and (raw) query; query has
// data()==nullptr when there is no '?'.
void split_target(std::string_view target, std::string_view &path, std::string_view &query);

}  // namespace mh::http
