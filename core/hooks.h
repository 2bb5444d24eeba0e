// Hook lists of one configuration, ordered as Apache's: by the order a module
// asked for (MH_HOOK_FIRST..LAST), then by load order.
#pragma once

#include <algorithm>
#include <vector>

#include "modhttpd/api.h"

namespace mh {

template <typename Fn>
class HookList {
public:
    struct Entry {
        Fn fn;
        int order;
        const mh_module *module;
    };
    void add(Fn fn, int order, const mh_module *module)
    {
        Entry e{fn, order, module};
        // stable: equal orders keep registration (= load) order
        auto at = std::upper_bound(entries_.begin(), entries_.end(), e,
                                   [](const Entry &a, const Entry &b) { return a.order < b.order; });
        entries_.insert(at, e);
    }
    const std::vector<Entry> &entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
};

struct Hooks {
    HookList<mh_post_config_fn> post_config;
    HookList<mh_process_fn> child_init;
    HookList<mh_process_fn> child_exit;
    HookList<mh_request_fn> translate_name;
    HookList<mh_request_fn> fixups;
    HookList<mh_request_fn> handler;
    HookList<mh_request_fn> log_transaction;
};

// RUN_FIRST: the first result that is not MH_DECLINED.
inline int run_first(const HookList<mh_request_fn> &list, mh_request *r)
{
    for (const auto &e : list.entries()) {
        int rv = e.fn(r);
        if (rv != MH_DECLINED) return rv;
    }
    return MH_DECLINED;
}

// RUN_ALL: every hook, until one returns neither MH_OK nor MH_DECLINED.
inline int run_all(const HookList<mh_request_fn> &list, mh_request *r)
{
    for (const auto &e : list.entries()) {
        int rv = e.fn(r);
        if (rv != MH_OK && rv != MH_DECLINED) return rv;
    }
    return MH_OK;
}

}  // namespace mh
