#include "request/table.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

namespace mh {

bool name_equals(const char *name, std::string_view other)
{
    return strncasecmp(name, other.data(), other.size()) == 0 && name[other.size()] == '\0';
}

}  // namespace mh

const char *mh_table::get(std::string_view name) const
{
    for (const Entry &e : entries)
        if (mh::name_equals(e.first, name)) return e.second;
    return nullptr;
}

void mh_table::set(const char *name, const char *value)
{
    auto first = std::find_if(entries.begin(), entries.end(), [&](const Entry &e) { return mh::name_equals(e.first, name); });
    if (first == entries.end()) {
        entries.emplace_back(name, value);
        return;
    }
    *first = {name, value};
    entries.erase(std::remove_if(first + 1, entries.end(), [&](const Entry &e) { return mh::name_equals(e.first, name); }),
                  entries.end());
}

void mh_table::unset(std::string_view name)
{
    std::erase_if(entries, [&](const Entry &e) { return mh::name_equals(e.first, name); });
}
