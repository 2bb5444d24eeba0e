#include <doctest/doctest.h>

#include "build_settings.h"
#include "cli.h"

using mh::CliOptions;
using mh::parse_cli;

TEST_CASE("no flags: run with the compiled-in root and file")
{
    CliOptions o = parse_cli({"modhttpd"});
    CHECK(o.error.empty());
    CHECK(o.action == CliOptions::Action::Run);
    CHECK(o.server_root == MH_SERVER_ROOT);
    CHECK(o.config_file == MH_SERVER_CONFIG_FILE);
    CHECK_FALSE(o.foreground);
}

TEST_CASE("values attached or separate, as getopt allows")
{
    CliOptions o = parse_cli({"modhttpd", "-f", "a.conf", "-d/srv/", "-DFOREGROUND", "-D", "X", "-C", "Listen 1", "-cBogus"});
    CHECK(o.error.empty());
    CHECK(o.config_file == "a.conf");
    CHECK(o.server_root == "/srv");
    CHECK(o.defines == std::vector<std::string>{"FOREGROUND", "X"});
    CHECK(o.foreground);
    CHECK(o.pre == std::vector<std::string>{"Listen 1"});
    CHECK(o.post == std::vector<std::string>{"Bogus"});
}

TEST_CASE("actions")
{
    CHECK(parse_cli({"m", "-t"}).action == CliOptions::Action::Test);
    // Apache's synonyms: -M is -t -D DUMP_MODULES, -S is -t -D DUMP_VHOSTS -D DUMP_RUN_CFG.
    CliOptions m = parse_cli({"m", "-M"});
    CHECK(m.action == CliOptions::Action::Test);
    CHECK(m.defines == std::vector<std::string>{"DUMP_MODULES"});
    CliOptions big_s = parse_cli({"m", "-S"});
    CHECK(big_s.action == CliOptions::Action::Test);
    CHECK(big_s.defines == std::vector<std::string>{"DUMP_VHOSTS", "DUMP_RUN_CFG"});
    CHECK(parse_cli({"m", "-L"}).action == CliOptions::Action::Directives);
    CHECK(parse_cli({"m", "-T"}).skip_document_root_check);
    CHECK(parse_cli({"m", "-V"}).action == CliOptions::Action::Settings);
    CHECK(parse_cli({"m", "-v"}).action == CliOptions::Action::Version);
    CHECK(parse_cli({"m", "-h"}).action == CliOptions::Action::Help);
    CHECK(parse_cli({"m", "-l"}).action == CliOptions::Action::StaticModules);
    for (const char *k : {"start", "stop", "restart", "graceful", "graceful-stop"}) {
        CliOptions o = parse_cli({"m", "-k", k});
        CHECK(o.error.empty());
        CHECK(o.action == CliOptions::Action::Signal);
        CHECK(o.signal == k);
    }
}

TEST_CASE("-X and ONE_PROCESS serve in one foreground process")
{
    CHECK(parse_cli({"m", "-X"}).single_process);
    CHECK(parse_cli({"m", "-X"}).foreground);
    CHECK(parse_cli({"m", "-D", "ONE_PROCESS"}).single_process);
    CHECK(parse_cli({"m", "-D", "NO_DETACH"}).foreground);
    CHECK_FALSE(parse_cli({"m", "-D", "NO_DETACH"}).single_process);
}

TEST_CASE("wrong flags are errors")
{
    CHECK(parse_cli({"m", "-Z"}).error == "illegal option -- 'Z'");
    CHECK(parse_cli({"m", "-f"}).error == "option requires an argument -- 'f'");
    CHECK(parse_cli({"m", "-k", "explode"}).error == "unknown -k argument 'explode'");
    CHECK(parse_cli({"m", "stray"}).error == "unexpected argument 'stray'");
    CHECK(parse_cli({"m", "-tX"}).error == "illegal option -- 'tX'");
}

TEST_CASE("usage names every flag")
{
    std::string u = mh::usage("modhttpd");
    for (const char *flag : {"-D name", "-d directory", "-f file", "-C \"directive\"", "-c \"directive\"", "-v", "-V", "-h",
                             "-l", "-M", "-t", "-X", "-k start"})
        CHECK_MESSAGE(u.find(flag) != std::string::npos, flag);
}
