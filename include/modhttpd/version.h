/*
 * modhttpd module ABI: version numbers and return codes.
 *
 * A module records the ABI it was compiled against in its descriptor
 * (MH_MODULE_HEADER does it). The server refuses a module whose major
 * differs from its own and loads any module with the same major, whatever
 * its minor: descriptors and tables only ever grow at the end, and every
 * struct that crosses the boundary starts with its size.
 *
 * ABI history (one line per bump; never edit an old line):
 *   1.0  first stable ABI: module descriptor, directives, hooks, services
 *        table, MPM entry, scoreboard access.
 *   1.1  mh_api.server_built; mh_mpm_services.slot_set_owner.
 *   1.2  MH_OPT_SYMLINKS_IF_OWNER_MATCH; mh_api.server_signature; the
 *        request's tables (headers_in, headers_out, err_headers_out, notes,
 *        subprocess_env) and table_get/set/add/merge/unset/each; Apache's
 *        request phases (post_read_request, quick_handler, header_parser,
 *        access_checker[_ex], check_user_id, auth_checker, type_checker,
 *        insert_filter, error_response) and the request fields they use;
 *        internal_redirect; output filters; providers (modhttpd/auth.h);
 *        regular expressions; MH_SECTION containers; the event MPM's
 *        MH_MODULE_NONBLOCKING, MH_WOULD_BLOCK and request_may_block;
 *        mh_mpm.async and the conn_* services that drive a connection
 *        without blocking; mh_conn_info.initial; status fields for an
 *        event MPM's connections and for processes of two MPMs;
 *        construct_url; set_context_info, context_document_root,
 *        context_prefix.
 *   1.3  mh_api.server_timeout; proxy scheme providers (modhttpd/proxy.h);
 *        MH_OPT_EXECCGI; mh_api.path_info, server_admin,
 *        accept_path_info and MH_PATH_INFO_*; virtual hosts:
 *        mh_module.merge_server_config, MH_WHERE_NOT_IN_VHOST,
 *        mh_api.next_server, request_server_name, request_server_port;
 *        mh_api.set_request_path, set_request_query; CGI: mh_api.add_cgi_vars,
 *        scan_script_header and MH_SCRIPT_REDIRECT.
 *   1.4  connection transports (modhttpd/transport.h):
 *        mh_api.hook_create_transport, server_for_address, connection_var.
 */
#ifndef MODHTTPD_VERSION_H
#define MODHTTPD_VERSION_H

#define MH_ABI_MAJOR 1
#define MH_ABI_MINOR 4

/* "MHD1": first field of every module descriptor. */
#define MH_MODULE_MAGIC 0x4d484431u

/* True when the server behind `api` offers at least ABI major.minor. */
#define MH_ABI_AT_LEAST(api, major, minor)                                 \
    ((api)->abi_major > (major) ||                                         \
     ((api)->abi_major == (major) && (api)->abi_minor >= (minor)))

/* True when the server's services table has the member `field`
 * (it was built with a minor that added it). */
#define MH_API_HAS(api, field)                                             \
    (offsetof(mh_api, field) + sizeof((api)->field) <= (api)->struct_size)

#define MODHTTPD_VERSION_STRING "0.1.0"

/* Hook and handler return codes, as in Apache: anything from 100 to 599
 * is an HTTP status that ends the request with that status. */
#define MH_OK 0
#define MH_DECLINED (-1)
#define MH_DONE (-2)
/* 1.2: from a hook of a module flagged MH_MODULE_NONBLOCKING that finds,
 * running on an event loop, that it has to block after all (a DNS lookup,
 * a file that may be slow): call me again on a worker thread. Only before
 * the handler has written anything. (-3 is Apache's SUSPENDED: not used.) */
#define MH_WOULD_BLOCK (-4)

#if defined(_WIN32)
#define MH_EXPORT __declspec(dllexport)
#else
#define MH_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
#define MH_EXTERN_C extern "C"
#else
#define MH_EXTERN_C
#endif

#endif
