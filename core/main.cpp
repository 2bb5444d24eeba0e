// modhttpd: the command line, then one start:
//   parse config -> bind Listen sockets -> (LoadModule happened while
//   parsing) -> post_config hooks -> the one MPM runs.
#include <http_parser.h>
#include <signal.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli.h"
#include "configure.h"
#include "log/error_log.h"
#include "logging.h"
#include "master/daemon.h"
#include "master/master.h"
#include "master/pid_file.h"
#include "master/runtime.h"
#include "master/startup.h"
#include "server.h"
#include "reports.h"
#include "server_identity.h"

using namespace mh;

namespace {

std::string g_program = "modhttpd";

int fail(const std::string &message)
{
    fprintf(stderr, "%s: %s\n", g_program.c_str(), message.c_str());
    return 1;
}

ConfigureOptions configure_options(const CliOptions &cli)
{
    ConfigureOptions co;
    co.config_file = cli.config_file;
    co.server_root = cli.server_root;
    co.defines = cli.defines;
    co.pre = cli.pre;
    co.post = cli.post;
    co.check_document_root = !cli.skip_document_root_check;
    return co;
}

std::unique_ptr<mh_server> read_configuration(const CliOptions &cli, std::string &error)
{
    try {
        return configure(configure_options(cli), 0);
    } catch (const config::Error &e) {
        error = e.full_message();
        return nullptr;
    }
}

// -t with Apache's DUMP_* defines (-M and -S are spelled so): the reports
// instead of "Syntax OK".
bool print_dumps(const CliOptions &cli, const mh_server &s)
{
    auto defined = [&](const char *name) {
        return std::find(cli.defines.begin(), cli.defines.end(), name) != cli.defines.end();
    };
    bool any = false;
    if (defined("DUMP_VHOSTS")) any = true, reports::vhosts(s);
    if (defined("DUMP_RUN_CFG")) any = true, reports::run_config(s);
    if (defined("DUMP_MODULES")) any = true, reports::modules(s);
    return any;
}

// -k: signal the server named by the PidFile of a configuration that passed -t.
int signal_server(const CliOptions &cli, const mh_server &s, bool &start_instead)
{
    const std::string &path = s.core.pid_file;
    pid_t pid = pid_file::read(path);
    bool running = pid > 0 && kill(pid, 0) == 0;
    std::string status = pid <= 0 ? "(no pid file) not running"
                         : running ? "(pid " + std::to_string(pid) + ") already running"
                                   : "(pid " + std::to_string(pid) + "?) not running";
    if (cli.signal == "start") {
        if (running) {
            printf("%s %s\n", g_program.c_str(), status.c_str());
            return 0;
        }
        start_instead = true;
        return 0;
    }
    if (cli.signal == "stop" || cli.signal == "graceful-stop") {
        if (!running) printf("%s %s\n", g_program.c_str(), status.c_str());
        else kill(pid, cli.signal == "stop" ? SIGTERM : SIGWINCH);
        return 0;
    }
    if (!running) {  // restart, graceful
        printf("%s not running, trying to start\n", g_program.c_str());
        start_instead = true;
        return 0;
    }
    kill(pid, cli.signal == "restart" ? SIGHUP : SIGUSR1);
    return 0;
}

int start(const CliOptions &cli, std::unique_ptr<mh_server> s, const std::string &command_line)
{
    std::string err;
    if (!startup::open_error_log(*s, err)) return fail(err);
    if (cli.single_process) log::ErrorLog::use_stderr();
    if (!startup::bind_listeners(*s, err) || !startup::open_access_logs(*s, err) ||
        !startup::run_post_config(*s, err)) {
        log::server_error_lines("core", MH_LOG_EMERG, err);
        fprintf(stderr, "%s\n", err.c_str());
        return 1;
    }
    runtime::set_warnings_to_console(false);
    if (cli.single_process) return master::run_single_process(std::move(s));
    if (!cli.foreground) daemonize(log::ErrorLog::fd());

    master::Options mo;
    mo.config = configure_options(cli);
    mo.command_line = command_line;
    return master::run(std::move(s), mo);
}

}  // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv, argv + argc);
    std::string command_line;
    for (const std::string &a : args) command_line += (command_line.empty() ? "" : " ") + a;
    if (!args.empty()) {
        size_t slash = args[0].rfind('/');
        g_program = slash == std::string::npos ? args[0] : args[0].substr(slash + 1);
    }

    CliOptions cli = parse_cli(args);
    if (!cli.error.empty()) {
        fprintf(stderr, "%s: %s\n%s", g_program.c_str(), cli.error.c_str(), usage(g_program).c_str());
        return 1;
    }
    switch (cli.action) {
    case CliOptions::Action::Help: printf("%s", usage(g_program).c_str()); return 0;
    case CliOptions::Action::Version: reports::version(); return 0;
    case CliOptions::Action::StaticModules: printf("Compiled in modules:\n  core.c\n"); return 0;
    default: break;
    }

    std::string error;
    std::unique_ptr<mh_server> s = read_configuration(cli, error);
    if (cli.action == CliOptions::Action::Settings) {
        reports::settings(s.get());
        return 0;
    }
    if (!s) return fail(error);

    switch (cli.action) {
    case CliOptions::Action::Test:
        if (!print_dumps(cli, *s)) fprintf(stderr, "Syntax OK\n");
        return 0;
    case CliOptions::Action::Directives:
        reports::directives(*s);
        return 0;
    case CliOptions::Action::Signal: {
        bool start_instead = false;
        int rc = signal_server(cli, *s, start_instead);
        if (!start_instead) return rc;
        return start(cli, std::move(s), command_line);
    }
    default:
        return start(cli, std::move(s), command_line);
    }
}
