#include "request/filters.h"

#include <algorithm>

#include "request/response.h"
#include "server.h"

namespace mh::filters {

bool nonblocking(const mh_request &r)
{
    for (const mh_filter *f : r.filters)
        if (!f->removed && !f->def->nonblocking) return false;
    return true;
}

int add(mh_request &r, std::string_view name, void *ctx)
{
    const OutputFilterDef *def = r.server->main_server->output_filter(name);
    if (def == nullptr) return -1;
    auto *f = static_cast<mh_filter *>(r.pool.alloc(sizeof(mh_filter)));
    *f = mh_filter{def, ctx, &r, false};
    // After every filter of the same or a lower type: insertion order within a type.
    auto at = std::upper_bound(r.filters.begin(), r.filters.end(), def->type,
                               [](int type, const mh_filter *g) { return type < g->def->type; });
    r.filters.insert(at, f);
    return 0;
}

int pass(mh_request &r, mh_filter *after, std::string_view data, bool eos)
{
    size_t next = 0;
    if (after != nullptr) {
        auto it = std::find(r.filters.begin(), r.filters.end(), after);
        next = it == r.filters.end() ? r.filters.size() : size_t(it - r.filters.begin()) + 1;
    }
    while (next < r.filters.size() && r.filters[next]->removed) ++next;
    if (r.filters_off || next == r.filters.size()) {
        int rv = data.empty() ? 0 : response::sink_write(r, data);
        if (eos) response::sink_end(r);
        return rv;
    }
    mh_filter *f = r.filters[next];
    return f->def->fn(f, &r, data.data(), data.size(), eos ? 1 : 0) == 0 ? 0 : -1;
}

}  // namespace mh::filters
