/*
 * Prints the layout of every struct and the value of every constant of the
 * modhttpd module ABI 1.0, one "name value" per line. test_kit.py compiles it
 * twice, against the frozen 1.0 headers (tests/kit/abi-1.0) and against the
 * installed ones, and requires the same output: a later minor may only add
 * members at the ends of structs and new constants, never move, resize or
 * renumber what 1.0 had. The list is 1.0's and stays as it is; new members
 * need no line here.
 */
#include <modhttpd/modhttpd.h>
#include <stdio.h>

#define MEMBER(type, field) \
    printf("%s.%s offset %zu size %zu\n", #type, #field, offsetof(type, field), sizeof(((type *)0)->field))
#define CONSTANT(name) printf("%s %lld\n", #name, (long long)(name))

int main(void)
{
    MEMBER(mh_cmd_parms, struct_size);
    MEMBER(mh_cmd_parms, directive);
    MEMBER(mh_cmd_parms, file);
    MEMBER(mh_cmd_parms, line);
    MEMBER(mh_cmd_parms, data);
    MEMBER(mh_cmd_parms, pool);
    MEMBER(mh_cmd_parms, server);
    MEMBER(mh_cmd_parms, server_config);
    MEMBER(mh_cmd_parms, section);

    MEMBER(mh_command, name);
    MEMBER(mh_command, set);
    MEMBER(mh_command, data);
    MEMBER(mh_command, where);
    MEMBER(mh_command, args_how);
    MEMBER(mh_command, usage);

    MEMBER(mh_module, magic);
    MEMBER(mh_module, abi_major);
    MEMBER(mh_module, abi_minor);
    MEMBER(mh_module, struct_size);
    MEMBER(mh_module, source);
    MEMBER(mh_module, flags);
    MEMBER(mh_module, commands);
    MEMBER(mh_module, create_dir_config);
    MEMBER(mh_module, merge_dir_config);
    MEMBER(mh_module, create_server_config);
    MEMBER(mh_module, register_hooks);
    MEMBER(mh_module, mpm);

    MEMBER(mh_status_global, struct_size);
    MEMBER(mh_status_global, mpm_name);
    MEMBER(mh_status_global, threaded);
    MEMBER(mh_status_global, server_limit);
    MEMBER(mh_status_global, thread_limit);
    MEMBER(mh_status_global, max_processes);
    MEMBER(mh_status_global, threads_per_child);
    MEMBER(mh_status_global, max_request_workers);
    MEMBER(mh_status_global, mpm_generation);
    MEMBER(mh_status_global, config_generation);
    MEMBER(mh_status_global, start_time_us);
    MEMBER(mh_status_global, restart_time_us);
    MEMBER(mh_status_global, max_workers_episodes);

    MEMBER(mh_status_process, struct_size);
    MEMBER(mh_status_process, pid);
    MEMBER(mh_status_process, generation);
    MEMBER(mh_status_process, quiescing);

    MEMBER(mh_status_worker, struct_size);
    MEMBER(mh_status_worker, state);
    MEMBER(mh_status_worker, pid);
    MEMBER(mh_status_worker, generation);
    MEMBER(mh_status_worker, access_count);
    MEMBER(mh_status_worker, bytes_served);
    MEMBER(mh_status_worker, my_access_count);
    MEMBER(mh_status_worker, my_bytes_served);
    MEMBER(mh_status_worker, conn_count);
    MEMBER(mh_status_worker, conn_bytes);
    MEMBER(mh_status_worker, duration_us);
    MEMBER(mh_status_worker, last_used_us);
    MEMBER(mh_status_worker, request_time_us);
    MEMBER(mh_status_worker, client);
    MEMBER(mh_status_worker, request);
    MEMBER(mh_status_worker, vhost);
    MEMBER(mh_status_worker, protocol);

    MEMBER(mh_api, struct_size);
    MEMBER(mh_api, abi_major);
    MEMBER(mh_api, abi_minor);
    MEMBER(mh_api, server_version);
    MEMBER(mh_api, hook_post_config);
    MEMBER(mh_api, hook_child_init);
    MEMBER(mh_api, hook_child_exit);
    MEMBER(mh_api, hook_translate_name);
    MEMBER(mh_api, hook_fixups);
    MEMBER(mh_api, hook_handler);
    MEMBER(mh_api, hook_log_transaction);
    MEMBER(mh_api, palloc);
    MEMBER(mh_api, pcalloc);
    MEMBER(mh_api, pstrdup);
    MEMBER(mh_api, pstrndup);
    MEMBER(mh_api, psprintf);
    MEMBER(mh_api, pool_cleanup);
    MEMBER(mh_api, server_config);
    MEMBER(mh_api, dir_config);
    MEMBER(mh_api, config_pool);
    MEMBER(mh_api, server_root);
    MEMBER(mh_api, server_path);
    MEMBER(mh_api, server_name);
    MEMBER(mh_api, log_error);
    MEMBER(mh_api, log_enabled);
    MEMBER(mh_api, request_pool);
    MEMBER(mh_api, request_server);
    MEMBER(mh_api, request_method);
    MEMBER(mh_api, request_line);
    MEMBER(mh_api, request_target);
    MEMBER(mh_api, request_path);
    MEMBER(mh_api, request_query);
    MEMBER(mh_api, request_protocol);
    MEMBER(mh_api, request_hostname);
    MEMBER(mh_api, header_in);
    MEMBER(mh_api, headers_in_each);
    MEMBER(mh_api, client_ip);
    MEMBER(mh_api, handler_name);
    MEMBER(mh_api, filename);
    MEMBER(mh_api, set_filename);
    MEMBER(mh_api, document_root);
    MEMBER(mh_api, options);
    MEMBER(mh_api, directory_index);
    MEMBER(mh_api, mime_type);
    MEMBER(mh_api, body_length);
    MEMBER(mh_api, read_body);
    MEMBER(mh_api, set_status);
    MEMBER(mh_api, status);
    MEMBER(mh_api, set_content_type);
    MEMBER(mh_api, set_content_length);
    MEMBER(mh_api, header_out);
    MEMBER(mh_api, header_out_set);
    MEMBER(mh_api, header_out_add);
    MEMBER(mh_api, header_out_unset);
    MEMBER(mh_api, header_only);
    MEMBER(mh_api, write);
    MEMBER(mh_api, puts);
    MEMBER(mh_api, printf);
    MEMBER(mh_api, sendfile);
    MEMBER(mh_api, flush);
    MEMBER(mh_api, escape_html);
    MEMBER(mh_api, escape_path);
    MEMBER(mh_api, http_date);
    MEMBER(mh_api, parse_http_date);
    MEMBER(mh_api, status_global);
    MEMBER(mh_api, status_process);
    MEMBER(mh_api, status_worker);
    MEMBER(mh_api, mpm);

    MEMBER(mh_conn_info, struct_size);
    MEMBER(mh_conn_info, fd);
    MEMBER(mh_conn_info, peer);
    MEMBER(mh_conn_info, peer_len);
    MEMBER(mh_conn_info, listener);
    MEMBER(mh_conn_info, slot);
    MEMBER(mh_conn_info, stopping);

    MEMBER(mh_mpm_services, struct_size);
    MEMBER(mh_mpm_services, loop);
    MEMBER(mh_mpm_services, listener_count);
    MEMBER(mh_mpm_services, listener_fd);
    MEMBER(mh_mpm_services, listener_name);
    MEMBER(mh_mpm_services, generation);
    MEMBER(mh_mpm_services, stopped);
    MEMBER(mh_mpm_services, config_warning);
    MEMBER(mh_mpm_services, scoreboard_open);
    MEMBER(mh_mpm_services, scoreboard_limits);
    MEMBER(mh_mpm_services, scoreboard_describe);
    MEMBER(mh_mpm_services, scoreboard_saturated);
    MEMBER(mh_mpm_services, slot);
    MEMBER(mh_mpm_services, slot_state);
    MEMBER(mh_mpm_services, slot_set_state);
    MEMBER(mh_mpm_services, process_set);
    MEMBER(mh_mpm_services, process_pid);
    MEMBER(mh_mpm_services, process_generation);
    MEMBER(mh_mpm_services, child_after_fork);
    MEMBER(mh_mpm_services, drop_privileges);
    MEMBER(mh_mpm_services, run_child_init);
    MEMBER(mh_mpm_services, run_child_exit);
    MEMBER(mh_mpm_services, serve_connection);

    MEMBER(mh_mpm, struct_size);
    MEMBER(mh_mpm, name);
    MEMBER(mh_mpm, threaded);
    MEMBER(mh_mpm, check_config);
    MEMBER(mh_mpm, start);
    MEMBER(mh_mpm, stop);
    MEMBER(mh_mpm, run_single_process);

    CONSTANT(MH_ABI_MAJOR);
    CONSTANT(MH_MODULE_MAGIC);
    CONSTANT(MH_OK);
    CONSTANT(MH_DECLINED);
    CONSTANT(MH_DONE);
    CONSTANT(MH_RAW_ARGS);
    CONSTANT(MH_TAKE1);
    CONSTANT(MH_TAKE2);
    CONSTANT(MH_TAKE12);
    CONSTANT(MH_TAKE3);
    CONSTANT(MH_TAKE23);
    CONSTANT(MH_TAKE123);
    CONSTANT(MH_TAKE13);
    CONSTANT(MH_ITERATE);
    CONSTANT(MH_ITERATE2);
    CONSTANT(MH_FLAG);
    CONSTANT(MH_NO_ARGS);
    CONSTANT(MH_TAKE_ARGV);
    CONSTANT(MH_WHERE_SERVER);
    CONSTANT(MH_WHERE_DIR);
    CONSTANT(MH_WHERE_ANY);
    CONSTANT(MH_MODULE_NO_FLAGS);
    CONSTANT(MH_MODULE_NOT_THREAD_SAFE);
    CONSTANT(MH_HOOK_REALLY_FIRST);
    CONSTANT(MH_HOOK_FIRST);
    CONSTANT(MH_HOOK_MIDDLE);
    CONSTANT(MH_HOOK_LAST);
    CONSTANT(MH_HOOK_REALLY_LAST);
    CONSTANT(MH_LOG_EMERG);
    CONSTANT(MH_LOG_ALERT);
    CONSTANT(MH_LOG_CRIT);
    CONSTANT(MH_LOG_ERR);
    CONSTANT(MH_LOG_WARNING);
    CONSTANT(MH_LOG_NOTICE);
    CONSTANT(MH_LOG_INFO);
    CONSTANT(MH_LOG_DEBUG);
    CONSTANT(MH_LOG_TRACE1);
    CONSTANT(MH_LOG_TRACE2);
    CONSTANT(MH_LOG_TRACE3);
    CONSTANT(MH_LOG_TRACE4);
    CONSTANT(MH_LOG_TRACE5);
    CONSTANT(MH_LOG_TRACE6);
    CONSTANT(MH_LOG_TRACE7);
    CONSTANT(MH_LOG_TRACE8);
    CONSTANT(MH_OPT_INDEXES);
    CONSTANT(MH_OPT_FOLLOW_SYMLINKS);
    CONSTANT(MH_WORKER_DEAD);
    CONSTANT(MH_WORKER_STARTING);
    CONSTANT(MH_WORKER_READY);
    CONSTANT(MH_WORKER_READ);
    CONSTANT(MH_WORKER_WRITE);
    CONSTANT(MH_WORKER_KEEPALIVE);
    CONSTANT(MH_WORKER_LOG);
    CONSTANT(MH_WORKER_DNS);
    CONSTANT(MH_WORKER_CLOSING);
    CONSTANT(MH_WORKER_GRACEFUL);
    CONSTANT(MH_WORKER_IDLE_KILL);
    CONSTANT(MH_START_FIRST);
    CONSTANT(MH_RESTART_GRACEFUL);
    CONSTANT(MH_RESTART_HARD);
    CONSTANT(MH_STOP_NOW);
    CONSTANT(MH_STOP_GRACEFUL);
    return 0;
}
