// The command line, as httpd's: -f -d -D -C -c -t -M -S -L -V -v -X -k -h -l.
#pragma once

#include <string>
#include <vector>

namespace mh {

struct CliOptions {
    enum class Action { Run, Test, Directives, Version, Settings, Help, Signal, StaticModules };
    Action action = Action::Run;
    std::string config_file;             // -f (default SERVER_CONFIG_FILE)
    std::string server_root;             // -d (default SERVER_ROOT)
    std::vector<std::string> defines;    // -D
    std::vector<std::string> pre, post;  // -C, -c
    std::string signal;                  // -k start|stop|restart|graceful|graceful-stop
    bool single_process = false;         // -X, -D ONE_PROCESS, -D DEBUG
    bool skip_document_root_check = false;  // -T
    bool foreground = false;             // -D FOREGROUND or NO_DETACH (and -X)
    std::string error;                   // non-empty: print usage, exit 1
};

CliOptions parse_cli(const std::vector<std::string> &args);
std::string usage(const std::string &program);

}  // namespace mh
