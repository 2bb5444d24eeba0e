// The request's tables (headers in and out, notes, environment), as modules
// read and change them.
#include <string>
#include <string_view>

#include "api/api_parts.h"
#include "pool.h"
#include "request/request.h"

namespace mh::api_parts {
namespace {

mh_table *headers_in(mh_request *r) { return &r->headers_in; }
mh_table *headers_out(mh_request *r) { return &r->headers_out; }
mh_table *err_headers_out(mh_request *r) { return &r->err_headers_out; }
mh_table *notes(mh_request *r) { return &r->notes; }
mh_table *subprocess_env(mh_request *r) { return &r->subprocess_env; }

const char *table_get(const mh_table *t, const char *name) { return t && name ? t->get(name) : nullptr; }

void table_set(mh_table *t, const char *name, const char *value)
{
    if (t && name) t->set(t->pool->strdup(name), t->pool->strdup(value ? value : ""));
}

void table_add(mh_table *t, const char *name, const char *value)
{
    if (t && name) t->add(t->pool->strdup(name), t->pool->strdup(value ? value : ""));
}

// Apache's apr_table_merge: "old, value", unless the old list has it already.
void table_merge(mh_table *t, const char *name, const char *value)
{
    if (t == nullptr || name == nullptr) return;
    value = value ? value : "";
    const char *old = t->get(name);
    if (old == nullptr) return table_add(t, name, value);
    std::string_view list(old);
    for (size_t at = 0; at <= list.size();) {
        size_t comma = list.find(',', at);
        std::string_view item = list.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (item == value) return;
        if (comma == std::string_view::npos) break;
        at = comma + 1;
    }
    std::string merged(old);
    merged += ", ";
    merged += value;
    t->set(t->pool->strdup(name), t->pool->strdup(merged));
}

void table_unset(mh_table *t, const char *name)
{
    if (t && name) t->unset(name);
}

int table_each(const mh_table *t, mh_header_fn fn, void *data)
{
    if (t == nullptr || fn == nullptr) return 0;
    for (const auto &[name, value] : t->entries)
        if (int rv = fn(data, name, value)) return rv;
    return 0;
}

}  // namespace

void fill_tables(mh_api &a)
{
    a.headers_in = headers_in;
    a.headers_out = headers_out;
    a.err_headers_out = err_headers_out;
    a.notes = notes;
    a.subprocess_env = subprocess_env;
    a.table_get = table_get;
    a.table_set = table_set;
    a.table_add = table_add;
    a.table_merge = table_merge;
    a.table_unset = table_unset;
    a.table_each = table_each;
}

}  // namespace mh::api_parts
