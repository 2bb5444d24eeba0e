// describe/full_message, and input that must give an Error, never a crash.
#include "sandbox.h"

#include <doctest/doctest.h>
#include <random>

using mh::config::describe;
using mh::config::Error;
using mh::config::Origin;
using mh::config::test::dump;
using mh::config::test::Sandbox;

TEST_CASE("describe names each Include step, outermost first") {
    auto outer = std::make_shared<const Origin>(Origin{"/x/a.conf", 504, nullptr});
    Origin inner{"/x/b.conf", 14, outer};
    CHECK(describe(*outer) == "Syntax error on line 504 of /x/a.conf: ");
    CHECK(describe(inner) == "Syntax error on line 504 of /x/a.conf: Syntax error on line 14 of /x/b.conf: ");
}

TEST_CASE("full_message is describe(origin) + what(), or just what()") {
    auto origin = std::make_shared<const Origin>(Origin{"/x/a.conf", 7, nullptr});
    Error with("Invalid command 'Bogus'", origin);
    CHECK(std::string(with.what()) == "Invalid command 'Bogus'");
    CHECK(with.full_message() == "Syntax error on line 7 of /x/a.conf: Invalid command 'Bogus'");
    Error without("Could not open configuration file /x: No such file or directory");
    CHECK(without.full_message() == "Could not open configuration file /x: No such file or directory");
}

TEST_CASE("NUL bytes are ordinary bytes, and never reach a file name") {
    Sandbox s;
    s.write("main.conf", std::string("Listen 80\0 81\n", 14));
    auto nodes = s.read();
    REQUIRE(nodes.size() == 1);
    CHECK(nodes[0].args == std::vector<std::string>{std::string("80\0", 3), "81"});
    s.write("inc.conf", std::string("Include \"main.conf\0x\"\n", 22));
    CHECK(s.error("inc.conf") == s.at("inc.conf", 1) + "Invalid path (it contains a NUL byte)");
}

TEST_CASE("very long lines") {
    Sandbox s;
    std::string big(1 << 20, 'x');
    s.write("main.conf", "Long " + big + "\nCont \\\n" + big + "\n");
    auto nodes = s.read();
    REQUIRE(nodes.size() == 2);
    CHECK(nodes[0].args.at(0).size() == big.size());
    CHECK(nodes[1].args.at(0).size() == big.size());
    s.write("quote.conf", "Long \"" + big + "\n");
    CHECK(s.error("quote.conf") == s.at("quote.conf", 1) + "Unmatched quote in: \"" + big.substr(0, 79) + "...");
}

TEST_CASE("random bytes give a tree or an Error, nothing else") {
    Sandbox s;
    std::mt19937 rng(12345);
    const std::string alphabet = std::string("<>/\\\"'# \t\n\r${}!*?[]IfDefineModuleIncludeA", 42) + '\0';
    int errors = 0;
    for (int round = 0; round < 300; ++round) {
        std::string text;
        std::size_t len = rng() % 400;
        for (std::size_t i = 0; i < len; ++i)
            text += (round % 2) ? static_cast<char>(rng() & 0xff) : alphabet[rng() % alphabet.size()];
        s.write("fuzz.conf", text);
        try {
            s.read("fuzz.conf");
        } catch (const Error &e) {
            ++errors;
            CHECK_FALSE(e.full_message().empty());
        }
    }
    CHECK(errors > 0);
}
