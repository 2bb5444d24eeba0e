// <IfDefine>, <IfModule>, <IfFile>, Define, UnDefine and ${NAME}.
#include "sandbox.h"

#include <doctest/doctest.h>

using mh::config::test::dump;
using mh::config::test::Sandbox;
using Words = std::vector<std::string>;

TEST_CASE("<IfDefine> true, false and negated, flattened into the parent") {
    Sandbox s;
    s.ctx.defines = {"SSL"};
    s.write("main.conf",
            "<IfDefine SSL>\nA\n</IfDefine>\n"
            "<IfDefine !SSL>\nB\n</IfDefine>\n"
            "<IfDefine NOPE>\nC\n</IfDefine>\n"
            "<IfDefine !NOPE>\nD\n<IfDefine SSL>\nE\n</IfDefine>\n</IfDefine>\n"
            "<IfDefine ssl>\nF\n</IfDefine>\n");  // define names are case-sensitive
    auto nodes = s.read();
    CHECK(dump(nodes) == "A();D();E()");
    CHECK(nodes[0].origin->line == 2);
}

TEST_CASE("section names the reader handles are case-insensitive") {
    Sandbox s;
    s.ctx.defines = {"X"};
    s.write("main.conf", "<ifdefine X>\nA\n</IFDEFINE>\n<IFMODULE !m>\nB\n</ifModule>\n");
    CHECK(dump(s.read()) == "A();B()");
}

TEST_CASE("a condition inside a section adds to that section") {
    Sandbox s;
    s.write("main.conf",
            "<Directory /x>\n<IfModule !foo_module>\nRequire all granted\n</IfModule>\n"
            "<IfModule foo_module>\nRequire all denied\n</IfModule>\n</Directory>\n");
    CHECK(dump(s.read()) == "Directory(/x){Require(all|granted)}");
}

TEST_CASE("<IfModule> sees modules loaded earlier in the file, by symbol or file name") {
    Sandbox s;
    s.ctx.module_loaded = [&s](const std::string &name) {
        return name == "mod_status.c" ||
               std::find(s.modules.begin(), s.modules.end(), name) != s.modules.end();
    };
    s.write("main.conf",
            "<IfModule status_module>\nBefore\n</IfModule>\n"
            "LoadModule status_module modules/mod_status.so\n"
            "<IfModule status_module>\nAfter\n</IfModule>\n"
            "<IfModule !status_module>\nNot\n</IfModule>\n"
            "<IfModule mod_status.c>\nByFile\n</IfModule>\n");
    CHECK(dump(s.read()) == "LoadModule(status_module|modules/mod_status.so);After();ByFile()");
}

TEST_CASE("<IfModule> without a module_loaded callback is false") {
    Sandbox s;
    s.ctx.module_loaded = nullptr;
    s.write("main.conf", "<IfModule a_module>\nA\n</IfModule>\n<IfModule !a_module>\nB\n</IfModule>\n");
    CHECK(dump(s.read()) == "B()");
}

TEST_CASE("a false branch is skipped without running anything") {
    Sandbox s;
    s.write("main.conf",
            "<IfDefine NOPE>\n"
            "Include missing.conf\n"
            "LoadModule x_module modules/x.so\n"
            "Define INSIDE\n"
            "ServerRoot /nonexistent\n"
            "Quote \"unbalanced\n"
            "<Directory /x\n"  // not even checked for '>'
            "</Directory>\n"
            "<IfDefine !NOPE>\nDeadToo\n</IfDefine>\n"
            "</IfDefine>\n"
            "Alive\n");
    CHECK(dump(s.read()) == "Alive()");
    CHECK(s.loads.empty());
    CHECK(s.ctx.defines.empty());
    CHECK(s.ctx.server_root == s.root);
}

TEST_CASE("a false branch must still nest properly") {
    Sandbox s;
    s.write("main.conf", "<IfDefine NOPE>\n<Directory /x>\n</Location>\n</IfDefine>\n");
    CHECK(s.error() == s.at("main.conf", 3) + "Expected </Directory> but saw </Location>");
    s.write("open.conf", "<IfDefine NOPE>\nX\n");
    CHECK(s.error("open.conf") == s.at("open.conf", 1) + "<IfDefine> was not closed.");
    s.write("inner.conf", "<IfModule !a>\n<IfDefine NOPE>\n<Files x>\n</IfDefine>\n</IfModule>\n");
    CHECK(s.error("inner.conf") == s.at("inner.conf", 4) + "Expected </Files> but saw </IfDefine>");
}

TEST_CASE("<IfDefine>/<IfModule>/<IfFile> take exactly one argument") {
    Sandbox s;
    s.write("a.conf", "<IfDefine>\n</IfDefine>\n");
    CHECK(s.error("a.conf") == s.at("a.conf", 1) + "<IfDefine> directive requires additional arguments");
    s.write("b.conf", "<IfModule !>\n</IfModule>\n");
    CHECK(s.error("b.conf") == s.at("b.conf", 1) + "<IfModule> directive requires additional arguments");
    s.write("c.conf", "<IfDefine A B>\n</IfDefine>\n");
    CHECK(s.error("c.conf") == s.at("c.conf", 1) +
                                   "<IfDefine takes one argument, Container for directives based on existence of "
                                   "command line defines");
    s.write("d.conf", "<IfModule a b>\n</IfModule>\n");
    CHECK(s.error("d.conf") == s.at("d.conf", 1) +
                                   "<IfModule takes one argument, Container for directives based on existence of "
                                   "specified modules");
    s.write("e.conf", "<IfFile>\n</IfFile>\n");
    CHECK(s.error("e.conf") == s.at("e.conf", 1) + "<IfFile> directive requires additional arguments");
}

TEST_CASE("<IfFile> tests a path relative to ServerRoot") {
    Sandbox s;
    s.write("main.conf",
            "<IfFile main.conf>\nA\n</IfFile>\n<IfFile !main.conf>\nB\n</IfFile>\n"
            "<IfFile /nonexistent/mh>\nC\n</IfFile>\n<IfFile !/nonexistent/mh>\nD\n</IfFile>\n");
    CHECK(dump(s.read()) == "A();D()");
}

TEST_CASE("Define adds a name for later <IfDefine>, UnDefine removes it; neither stays in the tree") {
    Sandbox s;
    s.ctx.defines = {"SSL"};
    s.write("main.conf",
            "<IfDefine FOO>\nEarly\n</IfDefine>\n"
            "Define FOO\n"
            "<IfDefine FOO>\nLate\n</IfDefine>\n"
            "UnDefine SSL\n"
            "<IfDefine SSL>\nSsl\n</IfDefine>\n"
            "Define FOO again\n");
    CHECK(dump(s.read()) == "Late()");
    CHECK(s.ctx.defines == Words{"FOO"});
}

TEST_CASE("${NAME} expands a Define value or an environment variable") {
    Sandbox s;
    ::setenv("MH_CONFIG_TEST_ENV", "from-env", 1);
    ::unsetenv("MH_CONFIG_TEST_UNSET");
    s.write("main.conf",
            "Define DOCROOT \"/srv/my www\"\n"
            "DocumentRoot \"${DOCROOT}/html\"\n"
            "Env ${MH_CONFIG_TEST_ENV} ${MH_CONFIG_TEST_UNSET} ${ broken\n"
            "Define TAG <Location\n"
            "${TAG} /a>\n"
            "</Location>\n"
            "UnDefine DOCROOT\n"
            "After ${DOCROOT}\n"
            "Define EMPTY \"\"\n"
            "${EMPTY}\n");  // a line that expands to nothing is skipped
    CHECK(dump(s.read()) ==
          "DocumentRoot(/srv/my www/html);Env(from-env|${MH_CONFIG_TEST_UNSET}|${|broken);Location(/a){};"
          "After(${DOCROOT})");
}

TEST_CASE("Define and UnDefine errors") {
    Sandbox s;
    const std::string define_help =
        "Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command "
        "line.";
    s.write("a.conf", "Define\n");
    CHECK(s.error("a.conf") == s.at("a.conf", 1) + define_help);
    s.write("b.conf", "Define a b c\n");
    CHECK(s.error("b.conf") == s.at("b.conf", 1) + define_help);
    s.write("c.conf", "Define a:b\n");
    CHECK(s.error("c.conf") == s.at("c.conf", 1) + "Variable name must not contain ':'");
    s.write("d.conf", "UnDefine\n");
    CHECK(s.error("d.conf") == s.at("d.conf", 1) +
                                   "UnDefine takes one argument, Undefine the existence of a variable. Undo a Define.");
}
