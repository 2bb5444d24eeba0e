// configure(): a whole configuration read, applied and checked.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "configure.h"
#include "server.h"

namespace fs = std::filesystem;

namespace {

struct Root {
    fs::path dir;
    Root()
    {
        char tmpl[] = "/tmp/mh-configure-XXXXXX";
        dir = mkdtemp(tmpl);
        fs::create_directories(dir / "etc");
        fs::create_directories(dir / "htdocs");
        std::ofstream(dir / "etc" / "mime.types") << "text/html html htm\ntext/css css\n";
    }
    ~Root() { fs::remove_all(dir); }

    std::unique_ptr<mh_server> read(const std::string &body, const std::string &mpm = "testfork_mpm_module")
    {
        std::ofstream(dir / "etc" / "t.conf")
            << "LoadModule " << mpm << " " << TEST_MODULES_DIR << "/mod_configtest.so\n" << body << "\n";
        mh::ConfigureOptions o;
        o.server_root = dir.string();
        o.config_file = "etc/t.conf";
        return mh::configure(o, 0);
    }

    std::string error(const std::string &body, const std::string &mpm = "testfork_mpm_module")
    {
        try {
            read(body, mpm);
        } catch (const mh::config::Error &e) {
            return e.full_message();
        }
        return "";
    }
};

}  // namespace

TEST_CASE("Apache 2.4 defaults")
{
    Root r;
    auto s = r.read("Listen 8080");
    const mh::CoreServerConfig &c = s->core;
    CHECK(c.document_root == (r.dir / "htdocs").string());
    CHECK(c.error_log == (r.dir / "logs/error_log").string());
    CHECK(c.timeout == 60);
    CHECK(c.keep_alive);
    CHECK(c.max_keep_alive_requests == 100);
    CHECK(c.keep_alive_timeout_ms == 5000);
    CHECK(c.limits.request_line == 8190);
    CHECK(c.limits.field_size == 8190);
    CHECK(c.limits.fields == 100);
    CHECK(c.limits.body == 1073741824);
    CHECK(c.listen_backlog == 511);
    CHECK(c.log_level == MH_LOG_WARNING);
    CHECK(c.header_timeout.seconds == 20);
    CHECK(c.header_timeout.max_seconds == 40);
    CHECK(c.header_timeout.min_rate == 500);
    CHECK(s->root_dir.directory_index == std::vector<std::string>{"index.html"});
    CHECK(s->mpm != nullptr);
    CHECK(s->core.mime.lookup("a.CSS") != nullptr);
}

TEST_CASE("Listen forms")
{
    Root r;
    auto s = r.read("Listen 8080\nListen 127.0.0.1:8081\nListen [::1]:8082\nListen *:8083 http");
    REQUIRE(s->core.listen.size() == 4);
    CHECK(s->core.listen[0].text() == "*:8080");
    CHECK(s->core.listen[1].text() == "127.0.0.1:8081");
    CHECK(s->core.listen[2].host == "::1");
    CHECK(s->core.listen[2].text() == "[::1]:8082");
    CHECK(s->core.listen[3].text() == "*:8083");
    CHECK(r.error("Listen 8080\nListen 8080").find("Cannot define multiple Listeners on the same IP:port") !=
          std::string::npos);
    CHECK(r.error("Listen ::1:80").find("IPv6 addresses go in brackets") != std::string::npos);
    CHECK(r.error("Listen 8080 ftp").find("Listen protocol 'ftp' is not supported") != std::string::npos);
    CHECK(r.error("ServerName x").find("no Listen directive") != std::string::npos);
    // Apache refuses a level for a module that is not loaded.
    CHECK(r.error("Listen 1\nLogLevel ssl:info").find("Cannot find module ssl") != std::string::npos);
    CHECK(r.error("Listen 1\nLogLevel mod_ssl.c:info").find("Cannot find module mod_ssl.c") != std::string::npos);
}

TEST_CASE("core directive values")
{
    Root r;
    auto s = r.read("Listen 1\nKeepAliveTimeout 250ms\nTimeout 7\nKeepAlive Off\nMaxKeepAliveRequests 0\n"
                    "LimitRequestBody 0\nLimitRequestFields 5\nServerName https://www.example.com:8443\n"
                    "LogLevel info core:debug unixd_module:trace2\nRequestReadTimeout header=5-10,MinRate=100 body=3\n"
                    "ServerTokens Prod\nGracefulShutdownTimeout 9\nListenBacklog 64");
    const mh::CoreServerConfig &c = s->core;
    CHECK(c.keep_alive_timeout_ms == 250);
    CHECK(c.timeout == 7);
    CHECK_FALSE(c.keep_alive);
    CHECK(c.max_keep_alive_requests == 0);
    CHECK(c.limits.body == 0);
    CHECK(c.limits.fields == 5);
    CHECK(c.server_name == "www.example.com");
    CHECK(c.server_port == 8443);
    CHECK(c.log_level == MH_LOG_INFO);
    CHECK(c.module_log_levels.at("core") == MH_LOG_DEBUG);
    CHECK(c.module_log_levels.at("unixd") == MH_LOG_TRACE2);
    CHECK(c.header_timeout.seconds == 5);
    CHECK(c.header_timeout.max_seconds == 10);
    CHECK(c.header_timeout.min_rate == 100);
    CHECK(c.body_timeout.seconds == 3);
    CHECK(c.body_timeout.max_seconds == 0);
    CHECK(c.server_tokens == mh::ServerTokens::Prod);
    CHECK(c.graceful_shutdown_timeout == 9);
    CHECK(c.listen_backlog == 64);
}

TEST_CASE("LogFormat nicknames and CustomLog")
{
    Root r;
    auto s = r.read("Listen 1\nLogFormat \"%h %>s\" tiny\nCustomLog logs/a tiny\nCustomLog logs/b combined\n"
                    "CustomLog /abs/c \"%m %U\"\nTransferLog logs/d");
    REQUIRE(s->core.custom_logs.size() == 4);
    CHECK(s->core.custom_logs[0].format == "%h %>s");
    CHECK(s->core.custom_logs[0].path == (r.dir / "logs/a").string());
    CHECK(s->core.custom_logs[1].format == "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"");
    CHECK(s->core.custom_logs[2].path == "/abs/c");
    CHECK(s->core.custom_logs[2].format == "%m %U");
    CHECK(s->core.custom_logs[3].format == "%h %l %u %t \"%r\" %>s %b");
    CHECK(r.error("Listen 1\nCustomLog logs/x \"%Q\"").find("Unrecognized LogFormat directive %Q") != std::string::npos);
}

TEST_CASE("sections: order, merge, Options, handler, server signature")
{
    Root r;
    std::string docroot = (r.dir / "htdocs").string();
    auto s = r.read("Listen 1\n"
                    "<Location /app>\nSetHandler app\n</Location>\n"
                    "<Directory " + docroot + "/pub>\nOptions +Indexes\nAddType text/x-a .aa\n</Directory>\n"
                    "<Directory />\nServerSignature On\nOptions None\n</Directory>\n"
                    "<Directory htdocs>\nServerSignature Off\nDirectoryIndex home.html index.htm\n</Directory>\n"
                    "<Location /app/off>\nSetHandler None\n</Location>\n"
                    "<Directory " + docroot + "/pub/secret>\nOptions -Indexes\n</Directory>");
    // Walk order: directories by depth, then locations in file order.
    REQUIRE(s->sections.size() == 6);
    CHECK(s->sections[0].path == "/");
    CHECK(s->sections[1].path == docroot);
    CHECK(s->sections[2].path == docroot + "/pub");
    CHECK(s->sections[3].path == docroot + "/pub/secret");
    CHECK(s->sections[4].path == "/app");
    CHECK(s->sections[5].path == "/app/off");

    const mh::DirConfig &outside = s->dir_config_for("/etc/passwd", "/x");
    CHECK(outside.core.server_signature == mh::ServerSignature::On);

    const mh::DirConfig &home = s->dir_config_for(docroot + "/index.html", "/index.html");
    CHECK(home.core.server_signature == mh::ServerSignature::Off);
    CHECK(home.core.directory_index == std::vector<std::string>{"home.html", "index.htm"});
    CHECK(home.core.options() == 0);
    CHECK_FALSE(home.core.handler.has_value());

    const mh::DirConfig &pub = s->dir_config_for(docroot + "/pub/a.aa", "/pub/a.aa");
    CHECK((pub.core.options() & MH_OPT_INDEXES));
    REQUIRE(pub.core.add_types.size() == 1);
    CHECK(pub.core.add_types[0] == std::pair<std::string, std::string>{"aa", "text/x-a"});
    CHECK_FALSE((s->dir_config_for(docroot + "/pub/secret/x", "/pub/secret/x").core.options() & MH_OPT_INDEXES));
    CHECK_FALSE((s->dir_config_for(docroot + "/public", "/public").core.options() & MH_OPT_INDEXES));

    CHECK(*s->dir_config_for(docroot + "/app/x", "/app/x").core.handler == "app");
    CHECK(*s->dir_config_for(docroot + "/app", "/app").core.handler == "app");
    CHECK_FALSE(s->dir_config_for(docroot + "/apple", "/apple").core.handler.has_value());
    CHECK(s->dir_config_for(docroot + "/app/off/1", "/app/off/1").core.handler->empty());
    // The same combination is merged once and cached.
    CHECK(&s->dir_config_for(docroot + "/pub/b", "/pub/b") == &s->dir_config_for(docroot + "/pub/c", "/pub/c"));
}

TEST_CASE("the MPM: none, two, thread safety")
{
    Root r;
    std::string lib = std::string(TEST_MODULES_DIR) + "/mod_configtest.so";
    CHECK(r.error("Listen 1\nLoadModule testthread_mpm_module " + lib)
              .find("More than one MPM loaded: testfork_mpm_module (line 1 of ") != std::string::npos);
    CHECK(r.error("Listen 1\nLoadModule unsafe_test_module " + lib, "testthread_mpm_module")
              .find("Module unsafe_test_module (mod_configtest.c) is not thread-safe and cannot run under the "
                    "threaded MPM 'testthread'. Load mpm_prefork instead") != std::string::npos);
    CHECK(r.error("Listen 1\nLoadModule unsafe_test_module " + lib).empty());
    std::ofstream(r.dir / "etc" / "none.conf") << "Listen 1\n";
    mh::ConfigureOptions o;
    o.server_root = r.dir.string();
    o.config_file = "etc/none.conf";
    CHECK_THROWS_WITH_AS(mh::configure(o, 0), doctest::Contains("No MPM loaded"), mh::config::Error);
}

TEST_CASE("IfModule sees modules loaded earlier in the file")
{
    Root r;
    auto s = r.read("<IfModule testfork_mpm_module>\nListen 1\n</IfModule>\n<IfModule !mod_configtest.c>\nBogus\n</IfModule>");
    CHECK(s->core.listen.size() == 1);
}
