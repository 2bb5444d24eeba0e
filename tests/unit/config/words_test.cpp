// split_words: Apache's ap_getword_conf.
#include "config/config_tree.h"

#include <doctest/doctest.h>

using mh::config::Error;
using mh::config::split_words;
using Words = std::vector<std::string>;

namespace {
std::string unmatched(const std::string &text) {
    try {
        split_words(text);
    } catch (const Error &e) {
        CHECK_FALSE(e.origin());
        return e.what();
    }
    return "(no error)";
}
}  // namespace

TEST_CASE("words are separated by any blank") {
    CHECK(split_words("a  b\tc \v d\f") == Words{"a", "b", "c", "d"});
    CHECK(split_words("") == Words{});
    CHECK(split_words(" \t ") == Words{});
}

TEST_CASE("double and single quotes group words") {
    CHECK(split_words(R"("a b" 'c d' e)") == Words{"a b", "c d", "e"});
    CHECK(split_words(R"("a 'b' c")") == Words{"a 'b' c"});
    CHECK(split_words(R"('say "hi"')") == Words{R"(say "hi")"});
    CHECK(split_words(R"("" x)") == Words{"", "x"});
}

TEST_CASE("a quote groups only at the start of a word") {
    CHECK(split_words("it's here") == Words{"it's", "here"});
    CHECK(split_words(R"(a"b c"d)") == Words{R"(a"b)", R"(c"d)"});
    CHECK(split_words(R"("foo"bar)") == Words{"foo", "bar"});  // the closing quote ends the word
}

TEST_CASE("inside quotes a backslash escapes the quote and the backslash") {
    CHECK(split_words(R"("say \"hi\"")") == Words{R"(say "hi")"});
    CHECK(split_words(R"('it\'s')") == Words{"it's"});
    CHECK(split_words(R"("a\\b")") == Words{R"(a\b)"});
    CHECK(split_words(R"("a\'b")") == Words{R"(a\'b)"});  // not this word's quote: kept
}

TEST_CASE("other backslashes are kept, so regexes and LogFormat escapes survive") {
    CHECK(split_words(R"("^/a\.html$")") == Words{R"(^/a\.html$)"});
    CHECK(split_words(R"("%h\t%r\n")") == Words{R"(%h\t%r\n)"});
    CHECK(split_words(R"(\.php$ a\b)") == Words{R"(\.php$)", R"(a\b)"});
    CHECK(split_words(R"(a\\b)") == Words{R"(a\b)"});  // Apache folds "\\" outside quotes too
}

TEST_CASE("an unmatched quote is an error") {
    CHECK(unmatched(R"("abc)") == R"(Unmatched quote in: "abc)");
    CHECK(unmatched("a 'b c") == "Unmatched quote in: 'b c");
    CHECK(unmatched(R"(x "abc\")") == R"(Unmatched quote in: "abc\")");  // the escaped quote does not close
    CHECK(unmatched("\"" + std::string(200, 'x')) == "Unmatched quote in: \"" + std::string(79, 'x') + "...");
}
