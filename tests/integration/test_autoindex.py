"""mod_autoindex's directives (modules/autoindex) shaping mod_static's
listing as Apache 2.4's mod_autoindex does: Debian's autoindex.conf read as
is (its LoadModule line ours), IndexIgnore, HeaderName/ReadmeName,
FancyIndexing with HTMLTable and icons, the plain list, IndexOrderDefault,
and IndexOptions errors."""
import re
from pathlib import Path

import pytest



# Debian 12's /etc/apache2/mods-available/autoindex.conf, comments left out.
DEBIAN_AUTOINDEX = """<IfModule mod_autoindex.c>
	IndexOptions FancyIndexing VersionSort HTMLTable NameWidth=* DescriptionWidth=* Charset=UTF-8
	AddIconByEncoding (CMP,/icons/compressed.gif) x-compress x-gzip x-bzip2
	AddIconByType (TXT,/icons/text.gif) text/*
	AddIconByType (IMG,/icons/image2.gif) image/*
	AddIconByType (SND,/icons/sound2.gif) audio/*
	AddIconByType (VID,/icons/movie.gif) video/*
	AddIcon /icons/binary.gif .bin .exe
	AddIcon /icons/tar.gif .tar
	AddIcon /icons/compressed.gif .Z .z .tgz .gz .zip
	AddIcon /icons/layout.gif .html .shtml .htm .pdf
	AddIcon /icons/text.gif .txt
	AddIcon /icons/c.gif .c
	AddIcon /icons/bomb.gif /core
	AddIcon (SND,/icons/sound2.gif) .ogg
	AddIcon /icons/back.gif ..
	AddIcon /icons/hand.right.gif README
	AddIcon /icons/folder.gif ^^DIRECTORY^^
	AddIcon /icons/blank.gif ^^BLANKICON^^
	DefaultIcon /icons/unknown.gif
	ReadmeName README.html
	HeaderName HEADER.html
	IndexIgnore .??* *~ *# RCS CVS *,v *,t
</IfModule>
"""


def listing_server(make_server, extra="", modules=("static_module", "autoindex_module", "mime_module")):
    s = make_server(start=False, modules=modules)
    s.write("files/a.txt", "a\n")
    s.write("files/b10.txt", "b10\n")
    s.write("files/b9.txt", "b9\n")
    s.write("files/image.png", "png")
    s.write("files/program.c", "int main;\n")
    s.write("files/tool.bin", "\0")
    s.write("files/mystery.qqq", "?")
    s.write("files/.hidden", "secret")
    s.write("files/.a", "two chars: not hidden by .??*")
    s.write("files/backup~", "old")
    s.write("files/RCS/x", "rcs")
    s.write("files/sub/x.txt", "x")
    s.write("files/HEADER.html", "<p id=head>Welcome header</p>\n")
    s.write("files/README.html", "<p id=readme>Readme footer &amp; more</p>\n")
    s.write("plain/one.txt", "1\n")
    s.write("plain/HEADER.txt", "<b>escaped</b>\n")
    s.conf.write_text(s.conf.read_text() + DEBIAN_AUTOINDEX + "\n".join([
        "<Directory %s/htdocs>" % s.root,
        "  Options Indexes",
        "</Directory>",
        extra,
    ]) + "\n")
    s.start()
    return s


def names_in(body):
    """The entries' links, the parent's left out."""
    return [n for n in re.findall(r'<td><a href="([^"?]+)">', body) if not n.startswith("/")]


def test_debian_autoindex_conf_gives_the_fancy_table(make_server):
    s = listing_server(make_server)
    status, h, body = s.get("/files/")
    body = body.decode()
    assert status == 200
    assert h["content-type"] == "text/html;charset=UTF-8"
    # HeaderName's file replaces the <h1>, ReadmeName's closes the page.
    assert "<p id=head>Welcome header</p>" in body and "<h1>" not in body
    assert body.rstrip().endswith("<p id=readme>Readme footer &amp; more</p>\n</body></html>".rstrip())
    assert body.index("id=head") < body.index("<table>") < body.index("id=readme")
    # IndexIgnore .??* *~ RCS: hidden; ".a" is too short for .??*.
    shown = names_in(body)
    for hidden in (".hidden", "backup~", "RCS/"):
        assert hidden not in shown
    assert ".a" in shown
    # VersionSort: b9 before b10; no FoldersFirst: sub/ sorts among the files.
    assert shown.index("b9.txt") < shown.index("b10.txt")
    assert shown.index("program.c") < shown.index("sub/")
    # Icons: by path, by type, ^^DIRECTORY^^, the parent, DefaultIcon.
    assert '<img src="/icons/binary.gif" alt="[   ]"></td><td><a href="tool.bin">' in body
    # As in Apache, the first line that applies wins: AddIconByType text/*
    # comes before AddIcon .c, so a C file (text/x-csrc) gets text.gif.
    assert '<img src="/icons/text.gif" alt="[TXT]"></td><td><a href="program.c">' in body
    assert '<img src="/icons/image2.gif" alt="[IMG]">' in body
    assert '<img src="/icons/folder.gif" alt="[DIR]">' in body
    assert '<img src="/icons/back.gif" alt="[PARENTDIR]">' in body
    assert '<img src="/icons/unknown.gif" alt="[   ]">' in body
    assert '<th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th>' in body
    assert '<a href="/">Parent Directory</a>' in body
    assert '<a href="?C=N;O=D">Name</a>' in body and '<a href="?C=M;O=A">Last modified</a>' in body
    # The hidden names are still served when asked for by name.
    assert s.get("/files/backup~")[0] == 200


def test_plain_text_header_is_escaped_in_pre_and_signature_without_readme(make_server):
    s = listing_server(make_server, extra="HeaderName HEADER.txt\nServerSignature On")
    status, _, body = s.get("/plain/")
    body = body.decode()
    assert status == 200
    assert "<pre>\n&lt;b&gt;escaped&lt;/b&gt;\n</pre>" in body
    assert "<address>" in body and body.endswith("</body></html>\n")


def test_plain_list_without_fancy_indexing(make_server):
    s2 = make_server(start=False, modules=("static_module", "autoindex_module"))
    s2.write("d/one.txt", "1")
    s2.write("d/two.txt", "2")
    s2.conf.write_text(s2.conf.read_text() + "Options Indexes\nIndexOptions -FancyIndexing\n")
    s2.start()
    status, _, body = s2.get("/d/")
    body = body.decode()
    assert status == 200
    assert "<h1>Index of /d/</h1>" in body
    assert '<ul><li><a href="/"> Parent Directory</a></li>\n<li><a href="one.txt"> one.txt</a></li>' in body
    assert "<table>" not in body


def test_index_order_default_and_query(make_server):
    s = listing_server(make_server, extra="IndexOrderDefault Descending Name\nIndexOptions +FoldersFirst")
    body = s.get("/files/")[2].decode()
    shown = names_in(body)
    assert shown[0] == "sub/"                 # FoldersFirst, whatever the order
    assert shown.index("program.c") < shown.index("a.txt")
    body = s.get("/files/?C=N;O=A")[2].decode()
    shown = names_in(body)
    assert shown[0] == "sub/" and shown.index("a.txt") < shown.index("program.c")


def test_description_and_pre_layout(make_server):
    s = listing_server(make_server, extra='IndexOptions -HTMLTable\nAddDescription "The C source" program.c')
    body = s.get("/files/")[2].decode()
    assert "<pre>" in body and "<table>" not in body
    line = next(l for l in body.splitlines() if 'href="program.c"' in l)
    assert line.rstrip().endswith("The C source")


def test_without_mod_autoindex_dotfiles_stay_hidden(make_server):
    s = make_server(start=False)
    s.write("d/.secret", "x")
    s.write("d/shown.txt", "x")
    s.conf.write_text(s.conf.read_text() + "Options Indexes\n")
    s.start()
    body = s.get("/d/")[2].decode()
    assert "shown.txt" in body and ".secret" not in body


@pytest.mark.parametrize("line, message", [
    ("IndexOptions FancyIndexing Sparkly", "Invalid directory indexing option"),
    ("IndexOptions NameWidth=3", "NameWidth value must be greater than 5"),
    ("IndexOrderDefault Upward Name", "First keyword must be 'Ascending' or 'Descending'"),
    ("IndexOrderDefault Ascending Colour", "Second keyword must be 'Name', 'Date', 'Size', or 'Description'"),
])
def test_bad_lines_are_refused(make_server, line, message):
    s = make_server(start=False, modules=("static_module", "autoindex_module"), config=line)
    r = s.run("-t")
    assert r.returncode != 0 and message in r.stderr and "modhttpd.conf" in r.stderr


def test_debian_files_read_with_our_load_lines(make_server):
    """Debian's own mime.conf and autoindex.conf, when the package is there."""
    conf_dir = Path("/etc/apache2/mods-available")
    if not (conf_dir / "autoindex.conf").exists():
        pytest.skip("apache2 is not installed")
    s = make_server(start=False, modules=("static_module", "autoindex_module", "mime_module", "alias_module"))
    s.conf.write_text(s.conf.read_text() + "Include %s/mime.conf\nInclude %s/autoindex.conf\n" % (conf_dir, conf_dir))
    r = s.run("-t")
    assert r.returncode == 0, r.stderr
