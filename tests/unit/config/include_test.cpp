// Include and IncludeOptional: globs, directories, errors, origins, recursion.
#include "sandbox.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

using mh::config::test::dump;
using mh::config::test::Sandbox;

TEST_CASE("Include reads a file in place, relative to ServerRoot or absolute") {
    Sandbox s;
    s.write("conf/ports.conf", "Listen 80\nListen 443\n");
    s.write("abs.conf", "Abs 1\n");
    s.write("main.conf", "First\nInclude conf/ports.conf\nInclude " + s.path("abs.conf") + "\nLast\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "First();Listen(80);Listen(443);Abs(1);Last()");
    const auto &listen = nodes[2];
    CHECK(listen.origin->file == s.path("conf/ports.conf"));
    CHECK(listen.origin->line == 2);
    REQUIRE(listen.origin->included_from);
    CHECK(listen.origin->included_from->file == s.path("main.conf"));
    CHECK(listen.origin->included_from->line == 2);
    CHECK(listen.origin->included_from->included_from == nullptr);
}

TEST_CASE("Include with a wildcard reads the matches in sorted order, not dot files") {
    Sandbox s;
    s.write("conf.d/b.conf", "B\n");
    s.write("conf.d/a.conf", "A\n");
    s.write("conf.d/C.conf", "C\n");  // strcmp order: upper case first
    s.write("conf.d/c.txt", "Txt\n");
    s.write("conf.d/.hidden.conf", "Hidden\n");
    s.write("main.conf", "Include conf.d/*.conf\nInclude conf.d/[ab].conf\nInclude conf.d/?.txt\n");
    CHECK(dump(s.read()) == "C();A();B();A();B();Txt()");
}

TEST_CASE("Include with wildcards in a directory component") {
    Sandbox s;
    s.write("sites/b/site.conf", "B\n");
    s.write("sites/a/site.conf", "A\n");
    s.write("sites/c.conf", "NotADirectory\n");
    s.write("main.conf", "Include sites/*/site.conf\n");
    CHECK(dump(s.read()) == "A();B()");
}

TEST_CASE("Include of a directory reads everything in it, sorted, recursively") {
    Sandbox s;
    s.write("d/2.conf", "Two\n");
    s.write("d/1", "One\n");
    s.write("d/sub/3.conf", "Three\n");
    s.write("d/4.txt", "Four\n");
    s.write("main.conf", "Include d\n");
    CHECK(dump(s.read()) == "One();Two();Four();Three()");
}

TEST_CASE("Include inside a section adds to that section") {
    Sandbox s;
    s.write("rules.conf", "Require all granted\n");
    s.write("main.conf", "<Directory /x>\nInclude rules.conf\n</Directory>\n");
    CHECK(dump(s.read()) == "Directory(/x){Require(all|granted)}");
}

TEST_CASE("Include errors name the Include line") {
    Sandbox s;
    s.write("main.conf", "Listen 80\nInclude missing.conf\n");
    CHECK(s.error() == s.at("main.conf", 2) + "Could not open configuration file " + s.path("missing.conf") +
                           ": No such file or directory");
    s.write("empty/README", "");
    s.write("nomatch.conf", "Include empty/*.conf\n");
    CHECK(s.error("nomatch.conf") == s.at("nomatch.conf", 1) + "Include/IncludeOptional: No matches for the "
                                                               "wildcard '*.conf' in '" +
                                         s.path("empty") + "', failing");
    s.write("nodir.conf", "Include nodir/*.conf\n");
    CHECK(s.error("nodir.conf") == s.at("nodir.conf", 1) + "Could not open config directory " + s.path("nodir") +
                                       ": No such file or directory");
    s.write("nosub.conf", "Include empty/*/x.conf\n");
    CHECK(s.error("nosub.conf") == s.at("nosub.conf", 1) + "Include/IncludeOptional: No matches for the wildcard "
                                                           "'*' in '" +
                                       s.path("empty") + "', failing");
}

TEST_CASE("Include and IncludeOptional take one argument") {
    Sandbox s;
    s.write("a.conf", "Include\n");
    CHECK(s.error("a.conf") == s.at("a.conf", 1) +
                                   "Include takes one argument, Name(s) of the config file(s) to be included; fails "
                                   "if the wildcard does not match at least one file");
    s.write("b.conf", "IncludeOptional a b\n");
    CHECK(s.error("b.conf") == s.at("b.conf", 1) +
                                   "IncludeOptional takes one argument, Name or pattern of the config file(s) to be "
                                   "included; ignored if the file does not exist or the pattern does not match any "
                                   "files");
    s.write("c.conf", "Include \"\"\n");
    CHECK(s.error("c.conf").find("Include takes one argument") != std::string::npos);
}

TEST_CASE("IncludeOptional ignores what is missing but reads what is there") {
    Sandbox s;
    s.write("empty/README", "");
    s.write("there/x.conf", "There\n");
    s.write("main.conf",
            "IncludeOptional missing.conf\n"
            "IncludeOptional empty/*.conf\n"
            "IncludeOptional nodir/*.conf\n"
            "IncludeOptional there/*.conf\n"
            "includeoptional there/x.conf\n");
    CHECK(dump(s.read()) == "There();There()");
}

TEST_CASE("errors in included files name the whole Include chain") {
    Sandbox s;
    s.write("b.conf", "Fine\n\n\n<Foo>\n");
    s.write("a.conf", "Fine\nInclude b.conf\n");
    s.write("main.conf", "Fine\n\nInclude a.conf\n");
    CHECK(s.error() == s.at("main.conf", 3) + s.at("a.conf", 2) + s.at("b.conf", 4) + "<Foo> was not closed.");
}

TEST_CASE("a file cannot close a section of the file that includes it") {
    Sandbox s;
    s.write("close.conf", "</Directory>\n");
    s.write("main.conf", "<Directory /x>\nInclude close.conf\n</Directory>\n");
    CHECK(s.error() == s.at("main.conf", 2) + s.at("close.conf", 1) +
                           "</Directory> without matching <Directory> section");
}

TEST_CASE("recursive Include is an error") {
    Sandbox s;
    s.write("self.conf", "Include self.conf\n");
    s.write("main.conf", "Include self.conf\n");
    CHECK(s.error() == s.at("main.conf", 1) + s.at("self.conf", 1) + "Recursive Include of " + s.path("self.conf") +
                           ": that file is already being read");
    s.write("a.conf", "A\nInclude b.conf\n");
    s.write("b.conf", "Include conf.d/*.conf\n");
    s.write("conf.d/x.conf", "Include a.conf\n");
    s.write("loop.conf", "Include a.conf\n");
    CHECK(s.error("loop.conf") == s.at("loop.conf", 1) + s.at("a.conf", 2) + s.at("b.conf", 1) +
                                      s.at("conf.d/x.conf", 1) + "Recursive Include of " + s.path("a.conf") +
                                      ": that file is already being read");
    s.write("top.conf", "Include top.conf\n");
    CHECK(s.error("top.conf") == s.at("top.conf", 1) + "Recursive Include of " + s.path("top.conf") +
                                     ": that file is already being read");
}

TEST_CASE("the same file may be included twice, one after the other") {
    Sandbox s;
    s.write("x.conf", "X\n");
    s.write("main.conf", "Include x.conf\nInclude x.conf\n");
    CHECK(dump(s.read()) == "X();X()");
}

TEST_CASE("Include chains stop at 128 files") {
    Sandbox s;
    for (int i = 0; i < 200; ++i) s.write("f" + std::to_string(i) + ".conf", "Include f" + std::to_string(i + 1) + ".conf\n");
    s.write("f200.conf", "End\n");
    std::string err = s.error("f0.conf");
    CHECK(err.starts_with(s.at("f0.conf", 1) + s.at("f1.conf", 1)));
    CHECK(err.ends_with(s.at("f127.conf", 1) +
                        "Exceeded the maximum include directory nesting level of 128. You have probably a "
                        "recursion somewhere."));
    s.write("ok.conf", "Include f74.conf\n");  // 128 files open at once: allowed
    CHECK(dump(s.read("ok.conf")) == "End()");
    s.write("over.conf", "Include f73.conf\n");
    CHECK(s.error("over.conf").ends_with("You have probably a recursion somewhere."));
}

TEST_CASE("a directory that includes itself through a symlink") {
    Sandbox s;
    s.write("d/a.conf", "A\n");
    std::filesystem::create_directory_symlink(s.path("d"), s.path("d/loop"));
    s.write("main.conf", "Include d\n");
    CHECK(s.error() == s.at("main.conf", 1) + "Directory " + s.path("d/loop") +
                           " exceeds the maximum include directory nesting level of 128. You have probably a "
                           "recursion somewhere.");
}

TEST_CASE("only regular files are read") {
    Sandbox s;
    REQUIRE(::mkfifo(s.path("fifo").c_str(), 0600) == 0);  // would block a plain read
    s.write("main.conf", "Include fifo\n");
    CHECK(s.error() == s.at("main.conf", 1) + "Could not open configuration file " + s.path("fifo") +
                           ": not a regular file");
    s.write("null.conf", "Include /dev/null\nAfter\n");
    CHECK(dump(s.read("null.conf")) == "After()");
}
