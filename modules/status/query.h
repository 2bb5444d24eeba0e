// The query words of /server-status, matched as Apache matches them: by
// substring anywhere in the query ("?auto", "?refresh=5&notable").
#pragma once

#include <string_view>

namespace mh_status {

enum class Format { Html, Auto, Json };

struct Query {
    Format format = Format::Html;
    bool no_table = false;  // "notable"
    int refresh = 0;        // seconds for a Refresh header, 0 for none
};

// Longest Refresh we send: a larger ?refresh=N is cut to it.
constexpr int kMaxRefresh = 3600;
// ?refresh without a usable number (Apache's default).
constexpr int kDefaultRefresh = 10;

Query parse_query(std::string_view query);

}  // namespace mh_status
