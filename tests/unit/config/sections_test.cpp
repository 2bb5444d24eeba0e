// <Section args> ... </Section>: nesting, raw_args and Apache's messages.
#include "sandbox.h"

#include <doctest/doctest.h>

using mh::config::test::dump;
using mh::config::test::Sandbox;

TEST_CASE("sections nest and keep their arguments") {
    Sandbox s;
    s.write("main.conf",
            "<VirtualHost *:80>\n"
            "  ServerName a\n"
            "  <Directory   \"/var/www\"  >\n"
            "    Require all granted\n"
            "  </directory>\n"
            "</VirtualHost>\n"
            "Listen 80\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "VirtualHost(*:80){ServerName(a);Directory(/var/www){Require(all|granted)}};Listen(80)");
    REQUIRE(nodes.size() == 2);
    const auto &vhost = nodes[0];
    CHECK(vhost.is_section);
    CHECK(vhost.origin->line == 1);
    const auto &dir = vhost.children[1];
    CHECK(dir.is_section);
    CHECK(dir.name == "Directory");
    CHECK(dir.raw_args == "\"/var/www\"");
    CHECK(dir.origin->line == 3);
    CHECK(dir.children[0].origin->line == 4);
    CHECK(nodes[1].origin->line == 7);
}

TEST_CASE("a section without arguments, and an empty one") {
    Sandbox s;
    s.write("main.conf", "<Location>\n</Location>\n<If \"%{HTTPS} == 'on'\">\nX\n</If>\n");
    auto nodes = s.read();
    CHECK(dump(nodes) == "Location(){};If(%{HTTPS} == 'on'){X()}");
    CHECK(nodes[0].raw_args.empty());
    CHECK(nodes[1].raw_args == "\"%{HTTPS} == 'on'\"");
}

TEST_CASE("closing tags match case-insensitively") {
    Sandbox s;
    s.write("main.conf", "<DIRECTORY /x>\n</directory>\n<location /y>\n</LoCaTiOn  >\n");
    CHECK(dump(s.read()) == "DIRECTORY(/x){};location(/y){}");
}

TEST_CASE("a closing tag without an opening one") {
    Sandbox s;
    s.write("main.conf", "Listen 80\n</Directory>\n");
    CHECK(s.error() == s.at("main.conf", 2) + "</Directory> without matching <Directory> section");
}

TEST_CASE("a closing tag for another section") {
    Sandbox s;
    s.write("main.conf", "<Directory /x>\nRequire all granted\n</Location>\n");
    CHECK(s.error() == s.at("main.conf", 3) + "Expected </Directory> but saw </Location>");
}

TEST_CASE("a section still open at the end of the file") {
    Sandbox s;
    s.write("main.conf", "Listen 80\n<Directory /x>\nRequire all granted\n");
    CHECK(s.error() == s.at("main.conf", 2) + "<Directory> was not closed.");
    s.write("nested.conf", "<VirtualHost *>\n<Location /a>\n</Location>\n<Directory /x>\n");
    CHECK(s.error("nested.conf") == s.at("nested.conf", 4) + "<Directory> was not closed.");
}

TEST_CASE("a section line must end with '>'") {
    Sandbox s;
    s.write("main.conf", "<Directory /x\n</Directory>\n");
    CHECK(s.error() == s.at("main.conf", 1) + "<Directory> directive missing closing '>'");
    s.write("close.conf", "<Directory /x>\n</Directory\n");
    CHECK(s.error("close.conf") == s.at("close.conf", 2) + "</Directory> directive missing closing '>'");
}

TEST_CASE("a section needs a name") {
    Sandbox s;
    s.write("main.conf", "<>\n</>\n");
    CHECK(s.error() == s.at("main.conf", 1) + "Missing section name after '<'");
}

TEST_CASE("errors inside a section name their own line") {
    Sandbox s;
    s.write("main.conf", "<Directory /x>\n  <Files a>\n    X \"oops\n  </Files>\n</Directory>\n");
    CHECK(s.error() == s.at("main.conf", 3) + "Unmatched quote in: \"oops");
}

TEST_CASE("sections as deep as allowed, and deeper") {
    Sandbox s;
    std::string ok, deep;
    for (int i = 0; i < 256; ++i) ok += "<A>\n";
    for (int i = 0; i < 256; ++i) ok += "</A>\n";
    s.write("ok.conf", ok);
    CHECK(s.read("ok.conf").size() == 1);
    for (int i = 0; i < 100000; ++i) deep += "<A>\n";
    s.write("deep.conf", deep);
    CHECK(s.error("deep.conf") == s.at("deep.conf", 257) + "Sections nested deeper than 256 levels");
}
