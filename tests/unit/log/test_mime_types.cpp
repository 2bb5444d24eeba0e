// MimeTypes: the mime.types format, AddType, lookups, and the shipped file.
#include <doctest/doctest.h>

#include <fstream>

#include "alloc_counter.h"
#include "mime_types.h"
#include "support.h"

using mh::MimeTypes;

namespace {

std::string type_of(const MimeTypes &m, std::string_view name) {
    const std::string *t = m.lookup(name);
    return t ? *t : "(none)";
}

void write_file(const std::string &path, const std::string &text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

}  // namespace

TEST_CASE("MimeTypes: the mime.types format") {
    mh::test::TempDir dir;
    write_file(dir.file("mime.types"),
               "# a comment line\n"
               "\n"
               "   \t\n"
               "text/html\t\thtml htm\n"
               "application/x-empty\n"
               "image/PNG  PNG\r\n"
               "text/plain txt  # trailing comment ext\n"
               "application/octet-stream bin txt\n"
               "  text/css css\n");
    MimeTypes m;
    CHECK(m.empty());
    std::string error;
    REQUIRE(m.load(dir.file("mime.types"), error));
    CHECK_FALSE(m.empty());
    CHECK(type_of(m, "index.html") == "text/html");
    CHECK(type_of(m, "INDEX.HTM") == "text/html");
    CHECK(type_of(m, "logo.png") == "image/PNG");  // extensions lower-cased, types as written
    CHECK(type_of(m, "a.txt") == "application/octet-stream");  // the later line wins
    CHECK(type_of(m, "a.ext") == "(none)");
    CHECK(type_of(m, "a.comment") == "(none)");
    CHECK(type_of(m, "style.css") == "text/css");
}

TEST_CASE("MimeTypes: load errors") {
    mh::test::TempDir dir;
    MimeTypes m;
    std::string error;
    CHECK_FALSE(m.load(dir.file("absent.types"), error));
    CHECK(error.find("absent.types") != std::string::npos);
    CHECK(error.find("No such file or directory") != std::string::npos);

    write_file(dir.file("bad.types"), "text/html html\n# ok\nnonsense ext\n");
    error.clear();
    CHECK_FALSE(m.load(dir.file("bad.types"), error));
    CHECK(error.find("bad.types:3:") != std::string::npos);
    CHECK(m.empty());  // a bad file changes nothing
}

TEST_CASE("MimeTypes: lookup takes the last extension of the last component") {
    MimeTypes m;
    m.add("application/gzip", "gz");
    m.add("application/x-tar", "tar");
    m.add("text/plain", "txt");
    m.add("text/html", "html");
    CHECK(type_of(m, "a.tar.gz") == "application/gzip");
    CHECK(type_of(m, "a.tar") == "application/x-tar");
    CHECK(type_of(m, "/srv/www/dir.html/README") == "(none)");
    CHECK(type_of(m, "README") == "(none)");
    CHECK(type_of(m, ".htaccess") == "(none)");
    CHECK(type_of(m, "/srv/.txt") == "(none)");
    CHECK(type_of(m, "/srv/..txt") == "text/plain");
    CHECK(type_of(m, "notes.") == "(none)");
    CHECK(type_of(m, "") == "(none)");
    CHECK(type_of(m, "/srv/www/") == "(none)");
    CHECK(type_of(m, "/srv/www/Page.HtMl") == "text/html");
    CHECK(type_of(m, "/srv/.hidden/notes.TXT") == "text/plain");
}

TEST_CASE("MimeTypes: AddType") {
    MimeTypes m;
    m.add("text/plain", "txt");
    m.add("Text/Markdown", ".MD");  // with the dot, any case (lower-cased as mod_mime)
    CHECK(type_of(m, "x.md") == "text/markdown");
    m.add("application/x-override", "txt");
    CHECK(type_of(m, "x.txt") == "application/x-override");
    m.add("text/ignored", ".");
    m.add("text/ignored", "");
    CHECK(type_of(m, "x.") == "(none)");
    std::string long_ext = "averyveryverylongextension";
    m.add("application/x-long", long_ext);
    CHECK(type_of(m, "f." + long_ext) == "application/x-long");
}

TEST_CASE("MimeTypes: lookup does not allocate for short extensions") {
    MimeTypes m;
    m.add("text/html", "html");
    m.add("font/woff2", "woff2");
    std::size_t before = mh::test::allocations();
    bool found = m.lookup("/srv/www/a/b/Index.HTML") && m.lookup("x.woff2") &&
                 !m.lookup("x.fifteenchars15") && !m.lookup("README");
    CHECK(mh::test::allocations() == before);
    CHECK(found);
}

TEST_CASE("MimeTypes: the shipped etc/mime.types") {
    MimeTypes m;
    std::string error;
    REQUIRE_MESSAGE(m.load(MH_SOURCE_ROOT "/etc/mime.types", error), error);
    const std::pair<const char *, const char *> expected[] = {
        {"index.html", "text/html"},       {"a.htm", "text/html"},
        {"a.css", "text/css"},             {"a.js", "text/javascript"},
        {"a.mjs", "text/javascript"},      {"a.json", "application/json"},
        {"a.svg", "image/svg+xml"},        {"a.png", "image/png"},
        {"a.jpg", "image/jpeg"},           {"a.JPEG", "image/jpeg"},
        {"a.gif", "image/gif"},            {"a.webp", "image/webp"},
        {"a.avif", "image/avif"},          {"favicon.ico", "image/vnd.microsoft.icon"},
        {"a.woff", "font/woff"},           {"a.woff2", "font/woff2"},
        {"a.ttf", "font/ttf"},             {"a.otf", "font/otf"},
        {"a.mp4", "video/mp4"},            {"a.webm", "video/webm"},
        {"a.mp3", "audio/mpeg"},           {"a.ogg", "audio/ogg"},
        {"a.wasm", "application/wasm"},    {"a.pdf", "application/pdf"},
        {"a.zip", "application/zip"},      {"a.tar.gz", "application/gzip"},
        {"a.tar", "application/x-tar"},    {"a.xml", "application/xml"},
        {"a.txt", "text/plain"},           {"a.csv", "text/csv"},
        {"README.md", "text/markdown"},    {"a.xhtml", "application/xhtml+xml"},
        {"a.webmanifest", "application/manifest+json"},
        {"a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"a.flac", "audio/flac"},          {"a.wav", "audio/wav"},
        {"a.mkv", "video/x-matroska"},     {"a.7z", "application/x-7z-compressed"},
        {"a.bz2", "application/x-bzip2"},  {"a.xz", "application/x-xz"},
        {"a.zst", "application/zstd"},     {"a.rss", "application/rss+xml"},
        {"a.atom", "application/atom+xml"}, {"a.vtt", "text/vtt"},
        {"a.bin", "application/octet-stream"}, {"a.exe", "application/x-msdownload"},
    };
    for (const auto &entry : expected) {
        CAPTURE(entry.first);
        CHECK(type_of(m, entry.first) == entry.second);
    }
    CHECK(type_of(m, "a.htaccess") == "(none)");
}
