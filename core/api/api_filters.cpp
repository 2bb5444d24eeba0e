// Output filters and providers, for modules.
#include <string>

#include "api/api_parts.h"
#include "configure.h"
#include "master/runtime.h"
#include "request/filters.h"
#include "server.h"

namespace mh::api_parts {
namespace {

void register_output_filter(const mh_module *m, const char *name, mh_filter_fn fn, int type)
{
    mh_server *s = configuring();
    if (s == nullptr || name == nullptr || fn == nullptr) return;
    std::string key(name);
    for (char &c : key) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    s->output_filters[key] = OutputFilterDef{name, fn, type, m, m != nullptr && (m->flags & MH_MODULE_NONBLOCKING) != 0};
}

int add_output_filter(mh_request *r, const char *name, void *ctx)
{
    return r && name ? filters::add(*r, name, ctx) : -1;
}

int filter_pass(mh_filter *f, const char *data, size_t n, int eos)
{
    if (f == nullptr) return -1;
    return filters::pass(*f->r, f, std::string_view(data ? data : "", data ? n : 0), eos != 0);
}

void *filter_ctx(const mh_filter *f) { return f ? f->ctx : nullptr; }
void filter_set_ctx(mh_filter *f, void *ctx)
{
    if (f) f->ctx = ctx;
}
void filter_remove(mh_filter *f)
{
    if (f) f->removed = true;
}

// Modules look providers up on every request: the key is built in a
// buffer of the thread's, not a new string each time.
const std::string &provider_key(const char *group, const char *name, const char *version)
{
    thread_local std::string k;
    k.assign(group ? group : "");
    k += '/';
    for (const char *p = name ? name : ""; *p; ++p) {
        char c = *p;
        k += c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    }
    k += '/';
    k += version ? version : "";
    return k;
}

void register_provider(const mh_module *, const char *group, const char *name, const char *version,
                       const void *provider)
{
    if (mh_server *s = configuring()) s->providers[provider_key(group, name, version)] = provider;
}

// While a configuration is read its own providers count (a directive that
// parses a provider's arguments); afterwards, those of the running one.
const void *lookup_provider(const char *group, const char *name, const char *version)
{
    mh_server *s = configuring() ? configuring() : runtime::current();
    if (s == nullptr) return nullptr;
    auto it = s->providers.find(provider_key(group, name, version));
    return it == s->providers.end() ? nullptr : it->second;
}

}  // namespace

void fill_filters(mh_api &a)
{
    a.register_output_filter = register_output_filter;
    a.add_output_filter = add_output_filter;
    a.filter_pass = filter_pass;
    a.filter_ctx = filter_ctx;
    a.filter_set_ctx = filter_set_ctx;
    a.filter_remove = filter_remove;
    a.register_provider = register_provider;
    a.lookup_provider = lookup_provider;
}

}  // namespace mh::api_parts
