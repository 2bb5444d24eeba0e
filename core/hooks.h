// Hook lists of one configuration, ordered as Apache's: by the order a module
// asked for (MH_HOOK_FIRST..LAST), then by load order. Each entry remembers
// whether its module promised not to block (MH_MODULE_NONBLOCKING): under an
// event MPM such hooks may run on the event loop.
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
        bool nonblocking;
    };
    void add(Fn fn, int order, const mh_module *module)
    {
        Entry e{fn, order, module, module != nullptr && (module->flags & MH_MODULE_NONBLOCKING) != 0};
        // stable: equal orders keep registration (= load) order
        auto at = std::upper_bound(entries_.begin(), entries_.end(), e,
                                   [](const Entry &a, const Entry &b) { return a.order < b.order; });
        entries_.insert(at, e);
    }
    const std::vector<Entry> &entries() const { return entries_; }
    bool empty() const { return entries_.empty(); }
    // True when every hook may run on an event loop.
    bool all_nonblocking() const
    {
        return std::all_of(entries_.begin(), entries_.end(), [](const Entry &e) { return e.nonblocking; });
    }

private:
    std::vector<Entry> entries_;
};

struct Hooks {
    HookList<mh_post_config_fn> post_config;
    HookList<mh_process_fn> child_init;
    HookList<mh_process_fn> child_exit;
    // The request phases, in the order a request meets them (Apache's).
    HookList<mh_request_fn> post_read_request;
    HookList<mh_request_fn> quick_handler;
    HookList<mh_request_fn> translate_name;
    HookList<mh_request_fn> header_parser;
    HookList<mh_request_fn> access_checker;
    HookList<mh_request_fn> access_checker_ex;
    HookList<mh_request_fn> check_user_id;
    HookList<mh_request_fn> auth_checker;
    HookList<mh_request_fn> type_checker;
    HookList<mh_request_fn> fixups;
    HookList<mh_request_fn> insert_filter;
    HookList<mh_request_fn> handler;
    HookList<mh_error_fn> error_response;
    HookList<mh_request_fn> log_transaction;
    // 1.4: a module wraps a new connection in its transport (TLS).
    HookList<mh_transport_fn> create_transport;
};

}  // namespace mh
