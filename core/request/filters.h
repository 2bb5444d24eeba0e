// Output filters: the chain a response body passes through between the
// handler and the HTTP framing (response::sink_write). Filters are
// registered by name per configuration; a request gets its own instances,
// kept in its pool and ordered by type (MH_FILTER_*), then by insertion.
#pragma once

#include <string>
#include <string_view>

#include "modhttpd/api.h"
#include "request/request.h"

namespace mh {

struct OutputFilterDef {
    std::string name;
    mh_filter_fn fn = nullptr;
    int type = MH_FILTER_CONTENT;
    const mh_module *module = nullptr;
    bool nonblocking = false;  // its module is MH_MODULE_NONBLOCKING: it may run on an event loop
};

}  // namespace mh

struct mh_filter {
    const mh::OutputFilterDef *def;
    void *ctx;
    mh_request *r;
    bool removed;
};

namespace mh::filters {

// True when the body goes through filters.
inline bool active(const mh_request &r) { return !r.filters.empty() && !r.filters_off; }
// True when no filter of the request may block (an event loop may write
// through them).
bool nonblocking(const mh_request &r);
// Adds the filter registered as `name` (any case): 0, or -1 if unknown.
int add(mh_request &r, std::string_view name, void *ctx);
// Hands data (and the end) to the first filter after `after` (nullptr: the
// first of all), or to the framing when none is left. 0, or -1.
int pass(mh_request &r, mh_filter *after, std::string_view data, bool eos);

}  // namespace mh::filters
