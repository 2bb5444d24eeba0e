#include "query.h"

namespace mh_status {

Query parse_query(std::string_view q)
{
    Query out;
    if (q.find("json") != std::string_view::npos) out.format = Format::Json;
    else if (q.find("auto") != std::string_view::npos) out.format = Format::Auto;
    out.no_table = q.find("notable") != std::string_view::npos;
    size_t at = q.find("refresh");
    if (at != std::string_view::npos) {
        // "refresh=N" with N >= 1; anything else means Apache's default.
        long n = 0;
        size_t i = at + 7;
        if (i < q.size() && q[i] == '=') {
            for (++i; i < q.size() && q[i] >= '0' && q[i] <= '9' && n <= kMaxRefresh; ++i)
                n = n * 10 + (q[i] - '0');
        }
        out.refresh = n < 1 ? kDefaultRefresh : n > kMaxRefresh ? kMaxRefresh : static_cast<int>(n);
    }
    return out;
}

}  // namespace mh_status
