#include "cli.h"

#include "build_paths.h"

namespace mh {

CliOptions parse_cli(const std::vector<std::string> &args)
{
    CliOptions o;
    o.server_root = build_paths::server_root;
    o.config_file = build_paths::config_file;
    auto fail = [&](const std::string &why) {
        if (o.error.empty()) o.error = why;
        return o;
    };
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a.size() < 2 || a[0] != '-') return fail("unexpected argument '" + a + "'");
        char flag = a[1];
        std::string value;
        bool takes_value = std::string("fdDCck").find(flag) != std::string::npos;
        if (takes_value) {
            if (a.size() > 2) value = a.substr(2);
            else if (i + 1 < args.size()) value = args[++i];
            else return fail(std::string("option requires an argument -- '") + flag + "'");
        } else if (a.size() > 2) {
            return fail("illegal option -- '" + a.substr(1) + "'");
        }
        switch (flag) {
        case 'f': o.config_file = value; break;
        case 'd': o.server_root = value; break;
        case 'D':
            o.defines.push_back(value);
            if (value == "FOREGROUND" || value == "NO_DETACH") o.foreground = true;
            if (value == "ONE_PROCESS" || value == "DEBUG") o.single_process = o.foreground = true;
            break;
        case 'C': o.pre.push_back(value); break;
        case 'c': o.post.push_back(value); break;
        case 'k':
            if (value != "start" && value != "stop" && value != "restart" && value != "graceful" &&
                value != "graceful-stop")
                return fail("unknown -k argument '" + value + "'");
            o.action = CliOptions::Action::Signal;
            o.signal = value;
            break;
        case 't': o.action = CliOptions::Action::Test; break;
        case 'T': o.skip_document_root_check = true; break;
        // Apache's own spellings: -M is -t -D DUMP_MODULES, -S is -t -D
        // DUMP_VHOSTS -D DUMP_RUN_CFG.
        case 'M':
            o.action = CliOptions::Action::Test;
            o.defines.push_back("DUMP_MODULES");
            break;
        case 'S':
            o.action = CliOptions::Action::Test;
            o.defines.push_back("DUMP_VHOSTS");
            o.defines.push_back("DUMP_RUN_CFG");
            break;
        case 'L': o.action = CliOptions::Action::Directives; break;
        case 'V': o.action = CliOptions::Action::Settings; break;
        case 'v': o.action = CliOptions::Action::Version; break;
        case 'l': o.action = CliOptions::Action::StaticModules; break;
        case 'h': o.action = CliOptions::Action::Help; break;
        case 'X':
            o.single_process = o.foreground = true;
            o.defines.push_back("DEBUG");
            break;
        default: return fail(std::string("illegal option -- '") + flag + "'");
        }
    }
    if (!o.server_root.empty() && o.server_root.size() > 1 && o.server_root.back() == '/') o.server_root.pop_back();
    return o;
}

std::string usage(const std::string &program)
{
    std::string p = program;
    std::string pad(p.size(), ' ');
    return "Usage: " + p + " [-D name] [-d directory] [-f file]\n" +
           "       " + pad + " [-C \"directive\"] [-c \"directive\"]\n" +
           "       " + pad + " [-k start|restart|graceful|graceful-stop|stop]\n" +
           "       " + pad + " [-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]\n" +
           "Options:\n"
           "  -D name            : define a name for use in <IfDefine name> directives\n"
           "  -d directory       : specify an alternate initial ServerRoot\n"
           "  -f file            : specify an alternate ServerConfigFile\n"
           "  -C \"directive\"     : process directive before reading config files\n"
           "  -c \"directive\"     : process directive after reading config files\n"
           "  -v                 : show version number\n"
           "  -V                 : show compile settings\n"
           "  -h                 : list available command line options (this page)\n"
           "  -l                 : list compiled in modules\n"
           "  -L                 : list available configuration directives\n"
           "  -t -D DUMP_VHOSTS  : show parsed vhost settings\n"
           "  -t -D DUMP_RUN_CFG : show parsed run settings\n"
           "  -S                 : a synonym for -t -D DUMP_VHOSTS -D DUMP_RUN_CFG\n"
           "  -t -D DUMP_MODULES : show all loaded modules\n"
           "  -M                 : a synonym for -t -D DUMP_MODULES (the MPM is marked)\n"
           "  -t                 : run syntax check for config files\n"
           "  -T                 : start without DocumentRoot(s) check\n"
           "  -X                 : debug mode (only one worker, do not detach)\n"
           "  -k start|stop|...  : signal the running server (TERM stop, HUP restart,\n"
           "                       USR1 graceful, WINCH graceful-stop)\n"
           "  -D FOREGROUND      : keep the master in the foreground (containers, systemd)\n";
}

}  // namespace mh
