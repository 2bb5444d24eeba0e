// mh_table: Apache's apr_table for one request: an ordered list of name ->
// value pairs where names compare without case and a name may repeat (two
// Set-Cookie lines). Strings are the caller's: the request's pool or the
// parsed head, both of which outlive the table's use; the API copies what
// modules hand in. Reused between requests: clear() keeps the capacity.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

struct mh_pool;

struct mh_table {
    using Entry = std::pair<const char *, const char *>;

    explicit mh_table(mh_pool *p = nullptr) : pool(p) {}

    // The first value under `name`, or nullptr.
    const char *get(std::string_view name) const;
    // Replaces every value under `name` with one (at the first one's place).
    void set(const char *name, const char *value);
    void add(const char *name, const char *value) { entries.emplace_back(name, value); }
    void unset(std::string_view name);
    void clear() { entries.clear(); }
    bool empty() const { return entries.empty(); }

    mh_pool *pool;  // where the API's copies go
    std::vector<Entry> entries;
};

namespace mh {
bool name_equals(const char *name, std::string_view other);
}  // namespace mh
