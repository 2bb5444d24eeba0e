// Logical lines: continuation, comments, blanks, trimming, line numbers.
#include "sandbox.h"

#include <doctest/doctest.h>

using mh::config::test::dump;
using mh::config::test::Sandbox;

TEST_CASE("one directive per line, name as written, args and raw_args") {
    Sandbox s;
    s.write("main.conf", "listen 80\n  Header   set X  \"a b\"   \nServerName x");  // no final newline
    auto nodes = s.read();
    REQUIRE(nodes.size() == 3);
    CHECK(dump(nodes) == "listen(80);Header(set|X|a b);ServerName(x)");
    CHECK(nodes[1].raw_args == "set X  \"a b\"");
    CHECK_FALSE(nodes[1].is_section);
    CHECK(nodes[1].origin->file == s.path("main.conf"));
    CHECK(nodes[1].origin->line == 2);
    CHECK(nodes[1].origin->included_from == nullptr);
    CHECK(nodes[2].origin->line == 3);
}

TEST_CASE("a directive without arguments") {
    Sandbox s;
    s.write("main.conf", "Bare\n");
    auto nodes = s.read();
    REQUIRE(nodes.size() == 1);
    CHECK(nodes[0].name == "Bare");
    CHECK(nodes[0].args.empty());
    CHECK(nodes[0].raw_args.empty());
}

TEST_CASE("blank and comment lines are skipped; '#' elsewhere is an argument") {
    Sandbox s;
    s.write("main.conf", "\n   \t\n# comment\n    # indented comment\nListen 80 # not a comment\n\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "Listen(80|#|not|a|comment)");
    CHECK(nodes[0].origin->line == 5);
}

TEST_CASE("a backslash at the end of a line continues it") {
    Sandbox s;
    s.write("main.conf", "LogFormat \"%h %l\" \\\n    common\nJoined a\\\nb\nNext 1\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "LogFormat(%h %l|common);Joined(ab);Next(1)");
    CHECK(nodes[0].origin->line == 1);  // where the directive starts
    CHECK(nodes[1].origin->line == 3);
    CHECK(nodes[2].origin->line == 5);
}

TEST_CASE("a backslash followed by a blank does not continue") {
    Sandbox s;
    s.write("main.conf", "A x\\ \nB y\n");
    CHECK(dump(s.read()) == "A(x\\);B(y)");
}

TEST_CASE("a continued comment swallows the next line, as in Apache") {
    Sandbox s;
    s.write("main.conf", "# comment \\\nListen 80\nListen 81\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "Listen(81)");
    CHECK(nodes[0].origin->line == 3);
}

TEST_CASE("a continuation at the end of the file") {
    Sandbox s;
    s.write("main.conf", "A x \\\n");
    CHECK(dump(s.read()) == "A(x)");
}

TEST_CASE("CRLF line ends") {
    Sandbox s;
    s.write("main.conf", "Listen 80\r\nA b \\\r\n c\r\n# x\r\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "Listen(80);A(b|c)");
    CHECK(nodes[0].raw_args == "80");
}

TEST_CASE("an empty file is an empty tree") {
    Sandbox s;
    s.write("main.conf", "");
    CHECK(s.read().empty());
    s.write("comments.conf", "# only\n\n  # comments\n");
    CHECK(s.read("comments.conf").empty());
}

TEST_CASE("an unmatched quote names the line") {
    Sandbox s;
    s.write("main.conf", "Listen 80\nServerAdmin \"me@example.com\n");
    CHECK(s.error() == s.at("main.conf", 2) + "Unmatched quote in: \"me@example.com");
}
