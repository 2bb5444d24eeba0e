// LoadModule, ServerRoot, -C/-c directives and the main file.
#include "sandbox.h"

#include <doctest/doctest.h>

using mh::config::Error;
using mh::config::Origin;
using mh::config::OriginPtr;
using mh::config::test::dump;
using mh::config::test::Sandbox;
using Words = std::vector<std::string>;

TEST_CASE("LoadModule calls back with an absolute path and stays in the tree") {
    Sandbox s;
    s.write("main.conf",
            "LoadModule status_module modules/mod_status.so\n"
            "loadmodule dir_module ./lib/../modules/mod_dir.so\n"
            "LoadModule x_module /opt/x.so\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "LoadModule(status_module|modules/mod_status.so);"
                         "loadmodule(dir_module|./lib/../modules/mod_dir.so);LoadModule(x_module|/opt/x.so)");
    CHECK(s.loads == Words{"status_module " + s.path("modules/mod_status.so") + " " + s.path("main.conf") + ":1",
                           "dir_module " + s.path("modules/mod_dir.so") + " " + s.path("main.conf") + ":2",
                           "x_module /opt/x.so " + s.path("main.conf") + ":3"});
}

TEST_CASE("LoadModule takes two arguments") {
    Sandbox s;
    const std::string msg = "LoadModule takes two arguments, a module name and the name of a shared object file to "
                            "load it from";
    s.write("a.conf", "LoadModule status_module\n");
    CHECK(s.error("a.conf") == s.at("a.conf", 1) + msg);
    s.write("b.conf", "LoadModule a b c\n");
    CHECK(s.error("b.conf") == s.at("b.conf", 1) + msg);
    s.write("c.conf", "LoadModule a \"\"\n");
    CHECK(s.error("c.conf") == s.at("c.conf", 1) + msg);
    CHECK(s.loads.empty());
}

TEST_CASE("a failing LoadModule is reported at its line, through includes") {
    Sandbox s;
    s.ctx.load_module = [](const std::string &, const std::string &path, const OriginPtr &) {
        throw Error("Cannot load " + path + " into server: boom");
    };
    s.write("mods.conf", "\nLoadModule x_module modules/x.so\n");
    s.write("main.conf", "Listen 80\nInclude mods.conf\n");
    CHECK(s.error() == s.at("main.conf", 2) + s.at("mods.conf", 2) + "Cannot load " + s.path("modules/x.so") +
                           " into server: boom");
}

TEST_CASE("LoadModule keeps an origin the callback chose, and converts other exceptions") {
    Sandbox s;
    auto own = std::make_shared<const Origin>(Origin{"/elsewhere.conf", 9, nullptr});
    s.ctx.load_module = [own](const std::string &symbol, const std::string &, const OriginPtr &) {
        if (symbol == "own_module") throw Error("own", own);
        throw std::runtime_error("plain");
    };
    s.write("a.conf", "LoadModule own_module x.so\n");
    CHECK(s.error("a.conf") == "Syntax error on line 9 of /elsewhere.conf: own");
    s.write("b.conf", "LoadModule other_module x.so\n");
    CHECK(s.error("b.conf") == s.at("b.conf", 1) + "plain");
}

TEST_CASE("LoadModule without a callback is kept and ignored") {
    Sandbox s;
    s.ctx.load_module = nullptr;
    s.write("main.conf", "LoadModule a_module a.so\n");
    CHECK(dump(s.read()) == "LoadModule(a_module|a.so)");
}

TEST_CASE("ServerRoot changes where later relative paths point") {
    Sandbox s;
    s.write("other/inc.conf", "Inc\n");
    s.write("main.conf",
            "ServerRoot " + s.path("other") + "/\n"
            "Include inc.conf\n"
            "LoadModule m_module m.so\n");
    CHECK(dump(s.read()) == "ServerRoot(" + s.path("other") + "/);Inc();LoadModule(m_module|m.so)");
    CHECK(s.ctx.server_root == s.path("other"));
    CHECK(s.loads == Words{"m_module " + s.path("other/m.so") + " " + s.path("main.conf") + ":3"});
}

TEST_CASE("a relative ServerRoot is taken from the current directory") {
    Sandbox s;
    s.write("other/x", "");
    auto rel = std::filesystem::relative(s.path("other"), std::filesystem::current_path()).string();
    s.write("main.conf", "ServerRoot " + rel + "\n");
    s.read();
    CHECK(s.ctx.server_root == s.path("other"));
}

TEST_CASE("ServerRoot must be a directory") {
    Sandbox s;
    s.write("main.conf", "Listen 80\nServerRoot /nonexistent/mh\n");
    CHECK(s.error() == s.at("main.conf", 2) + "ServerRoot must be a valid directory");
    s.write("file.conf", "ServerRoot " + s.path("main.conf") + "\n");
    CHECK(s.error("file.conf") == s.at("file.conf", 1) + "ServerRoot must be a valid directory");
    s.write("args.conf", "ServerRoot a b\n");
    CHECK(s.error("args.conf") == s.at("args.conf", 1) +
                                      "ServerRoot takes one argument, Common directory of server-related files "
                                      "(logs, confs, etc.)");
}

TEST_CASE("-C directives come before the file, -c after, with their own origins") {
    Sandbox s;
    s.write("main.conf", "<IfDefine FROM_C>\nListen 2\n</IfDefine>\n");
    auto nodes = s.read("main.conf", {"Define FROM_C", "  Listen 1  ", "", "# comment"}, {"Listen 3"});
    CHECK(dump(nodes) == "Listen(1);Listen(2);Listen(3)");
    CHECK(nodes[0].origin->file == "-C");
    CHECK(nodes[0].origin->line == 2);
    CHECK(nodes[1].origin->file == s.path("main.conf"));
    CHECK(nodes[2].origin->file == "-c");
    CHECK(nodes[2].origin->line == 1);
}

TEST_CASE("-C may set ServerRoot before the main file is found, and may load and include") {
    Sandbox s;
    s.write("other/main.conf", "Main\n");
    s.write("other/inc.conf", "Inc\n");
    auto nodes = s.read("main.conf", {"ServerRoot " + s.path("other"), "LoadModule a_module a.so"},
                        {"Include inc.conf"});
    CHECK(dump(nodes) == "ServerRoot(" + s.path("other") + ");LoadModule(a_module|a.so);Main();Inc()");
    CHECK(s.loads == Words{"a_module " + s.path("other/a.so") + " -C:2"});
    REQUIRE(nodes[3].origin->included_from);
    CHECK(nodes[3].origin->included_from->file == "-c");
}

TEST_CASE("a section may span -C directives") {
    Sandbox s;
    s.ctx.defines = {"X"};
    s.write("main.conf", "");
    CHECK(dump(s.read("main.conf", {"<IfDefine X>", "Listen 9", "</IfDefine>"})) == "Listen(9)");
}

TEST_CASE("errors in -C and -c name the directive's position") {
    Sandbox s;
    s.write("main.conf", "Listen 80\n");
    CHECK(s.error("main.conf", {"LoadModule a"}) ==
          "Syntax error on line 1 of -C: LoadModule takes two arguments, a module name and the name of a shared "
          "object file to load it from");
    CHECK(s.error("main.conf", {}, {"Listen 1", "</Foo>"}) ==
          "Syntax error on line 2 of -c: </Foo> without matching <Foo> section");
    CHECK(s.error("main.conf", {"<Directory /x>"}) == "Syntax error on line 1 of -C: <Directory> was not closed.");
    CHECK(s.error("main.conf", {"Include nope.conf"}) == "Syntax error on line 1 of -C: Could not open "
                                                         "configuration file " +
                                                             s.path("nope.conf") + ": No such file or directory");
}

TEST_CASE("the main file: relative to ServerRoot or absolute; missing or a directory") {
    Sandbox s;
    s.write("conf/httpd.conf", "A\n");
    CHECK(dump(s.read("conf/httpd.conf")) == "A()");
    CHECK(dump(s.read(s.path("conf/httpd.conf"))) == "A()");
    try {
        s.read("nope.conf");
        FAIL("no error");
    } catch (const Error &e) {
        CHECK(e.origin() == nullptr);
        CHECK(e.full_message() == "Could not open configuration file " + s.path("nope.conf") +
                                      ": No such file or directory");
    }
    CHECK(s.error("conf") == "Could not open configuration file " + s.path("conf") + ": Is a directory");
}
