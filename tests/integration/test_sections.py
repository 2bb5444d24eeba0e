"""Configuration sections as Apache walks them: <Directory> by depth, then
<DirectoryMatch> / <Directory ~>, then <Files> / <FilesMatch> (top-level,
then those inside a <Directory>), then <Location> / <LocationMatch>, later
ones overriding earlier ones. What a section decides is seen through
AddType (the Content-Type of a file) and SetHandler."""
import pytest


@pytest.fixture
def server(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "status_module"), config="""
<Directory "DOCROOT">
    AddType text/x-root .t
</Directory>
<Directory "DOCROOT/deep">
    AddType text/x-deep .t
</Directory>
<DirectoryMatch "^DOCROOT/d[0-9]+$">
    AddType text/x-dirmatch .t
</DirectoryMatch>
<Directory ~ "/tilde$">
    AddType text/x-tilde .t
</Directory>
<Files "special.t">
    AddType text/x-files .t
</Files>
<FilesMatch "^report-[0-9]+\\.t$">
    AddType text/x-filesmatch .t
</FilesMatch>
<Directory "DOCROOT/nested">
    AddType text/x-nested-dir .t
    <Files "*.t">
        AddType text/x-nested-files .t
    </Files>
</Directory>
<Files ~ "^wild">
    AddType text/x-files-tilde .t
</Files>
<Location "/deep/loc">
    AddType text/x-location .t
</Location>
<LocationMatch "^/d[0-9]+/lm">
    AddType text/x-locationmatch .t
</LocationMatch>
<Location ~ "/status-here$">
    SetHandler server-status
</Location>
""")
    s.conf.write_text(s.conf.read_text().replace("DOCROOT", str(s.docroot)))
    for f in ("a.t", "deep/a.t", "deep/special.t", "d12/a.t", "d12/sub/a.t", "x/tilde/a.t", "x/tilde/deeper/a.t",
              "special.t", "report-7.t", "report-x.t", "nested/a.t", "nested/sub/b.t", "other/a.t",
              "wildcat.t", "deep/loc/a.t", "d12/lm/a.t", "d12/lm/special.t"):
        s.write(f, "x\n")
    s.start()
    return s


def ctype(s, path):
    status, headers, _ = s.get(path)
    assert status == 200, path
    return headers["content-type"]


@pytest.mark.parametrize("path,expected", [
    ("/a.t", "text/x-root"),
    ("/deep/a.t", "text/x-deep"),                     # deeper <Directory> over shallower
    ("/d12/a.t", "text/x-dirmatch"),                  # regex directories after plain ones
    ("/d12/sub/a.t", "text/x-dirmatch"),              # ... and below them
    ("/x/tilde/a.t", "text/x-tilde"),
    ("/x/tilde/deeper/a.t", "text/x-tilde"),
    ("/special.t", "text/x-files"),                   # <Files> after directories
    ("/deep/special.t", "text/x-files"),              # names the file anywhere
    ("/report-7.t", "text/x-filesmatch"),
    ("/report-x.t", "text/x-root"),
    ("/nested/a.t", "text/x-nested-files"),           # <Files> in a <Directory>: after that directory
    ("/nested/sub/b.t", "text/x-nested-files"),
    ("/other/a.t", "text/x-root"),                    # the nested <Files> is for its directory only
    ("/wildcat.t", "text/x-files-tilde"),
    ("/deep/loc/a.t", "text/x-location"),             # <Location> last of all
    ("/d12/lm/a.t", "text/x-locationmatch"),
    ("/d12/lm/special.t", "text/x-locationmatch"),    # over <Files> too
])
def test_walk_order(server, path, expected):
    assert ctype(server, path) == expected


def test_location_regex_sets_a_handler(server):
    status, _, body = server.get("/anything/status-here?auto")
    assert status == 200 and b"ServerMPM:" in body


# (section, the line of it that is wrong, the message)
@pytest.mark.parametrize("section,bad,message", [
    ("<Directory>\n</Directory>", 0, "<Directory> directive requires additional arguments"),
    ("<Directory /a /b>\n</Directory>", 0, "Multiple <Directory> arguments not (yet) supported."),
    ("<DirectoryMatch \"(\">\n</DirectoryMatch>", 0, "Regex could not be compiled"),
    ("<Directory ~ \"(\">\n</Directory>", 0, "Regex could not be compiled"),
    ("<FilesMatch>\n</FilesMatch>", 0, "<FilesMatch> directive requires additional arguments"),
    ("<Location ~ \"[\">\n</Location>", 0, "Regex could not be compiled"),
    ("<Location /x>\n<Files a>\n</Files>\n</Location>", 1, "<Files> cannot occur within <Location> section"),
    ("<Files a>\n<Directory /x>\n</Directory>\n</Files>", 1, "<Directory not allowed in <Files> context"),
    ("<Files a>\nListen 9\n</Files>", 1, "Listen not allowed in <Files> context"),
])
def test_section_errors_in_apaches_words(make_server, section, bad, message):
    s = make_server(start=False, config=section)
    r = s.run("-t")
    assert r.returncode == 1
    line = s.conf.read_text().splitlines().index(section.splitlines()[bad]) + 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (line, s.conf, message), r.stderr
