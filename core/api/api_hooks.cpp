// Hook registration: modules call these from register_hooks, while their
// configuration is being read.
#include "api/api_parts.h"
#include "configure.h"
#include "server.h"

namespace mh::api_parts {
namespace {

template <auto List, typename Fn>
void add(const mh_module *m, Fn fn, int order)
{
    if (mh_server *s = configuring(); s && fn) (s->hooks.*List).add(fn, order, m);
}

}  // namespace

void fill_hooks(mh_api &a)
{
    a.hook_post_config = add<&Hooks::post_config, mh_post_config_fn>;
    a.hook_child_init = add<&Hooks::child_init, mh_process_fn>;
    a.hook_child_exit = add<&Hooks::child_exit, mh_process_fn>;
    a.hook_translate_name = add<&Hooks::translate_name, mh_request_fn>;
    a.hook_fixups = add<&Hooks::fixups, mh_request_fn>;
    a.hook_handler = add<&Hooks::handler, mh_request_fn>;
    a.hook_log_transaction = add<&Hooks::log_transaction, mh_request_fn>;
    a.hook_post_read_request = add<&Hooks::post_read_request, mh_request_fn>;
    a.hook_quick_handler = add<&Hooks::quick_handler, mh_request_fn>;
    a.hook_header_parser = add<&Hooks::header_parser, mh_request_fn>;
    a.hook_access_checker = add<&Hooks::access_checker, mh_request_fn>;
    a.hook_access_checker_ex = add<&Hooks::access_checker_ex, mh_request_fn>;
    a.hook_check_user_id = add<&Hooks::check_user_id, mh_request_fn>;
    a.hook_auth_checker = add<&Hooks::auth_checker, mh_request_fn>;
    a.hook_type_checker = add<&Hooks::type_checker, mh_request_fn>;
    a.hook_insert_filter = add<&Hooks::insert_filter, mh_request_fn>;
    a.hook_error_response = add<&Hooks::error_response, mh_error_fn>;
    a.hook_create_transport = add<&Hooks::create_transport, mh_transport_fn>;
}

}  // namespace mh::api_parts
