"""The bundled site (htdocs/) as a browser sees it: headless Chromium loads
the page with every asset, under each MPM."""
import re
import shutil

from harness import SOURCE, chromium_dom

ASSETS = ["/", "/css/site.css", "/js/site.js", "/images/logo.svg", "/images/pattern.png"]


def test_chromium_loads_the_bundled_site_with_every_asset(make_server, mpm):
    s = make_server(mpm=mpm, start=False)
    shutil.rmtree(s.docroot)
    shutil.copytree(SOURCE / "htdocs", s.docroot)
    s.start()
    dom = chromium_dom("http://127.0.0.1:%d/" % s.port)
    # The page rendered and its script ran.
    assert "<h1>It works!</h1>" in dom
    assert re.search(r"Served by modhttpd; rendered \d{4}-\d\d-\d\dT", dom), dom[-1500:]
    s.stop()
    # Every asset was asked for by the browser and answered 200.
    requests = {}
    for line in s.access_log().splitlines():
        m = re.match(r'\S+ \S+ \S+ \[[^]]+\] "GET (\S+) HTTP/1\.1" (\d{3}) ', line)
        if m and "Chrome" in line:
            requests.setdefault(m.group(1), set()).add(int(m.group(2)))
    for asset in ASSETS:
        assert requests.get(asset) == {200}, (asset, requests)
    # Nothing the browser asked for failed (a favicon request, if made, is served too).
    assert all(codes == {200} for codes in requests.values()), requests


def test_bundled_site_types(make_server):
    s = make_server(start=False)
    shutil.rmtree(s.docroot)
    shutil.copytree(SOURCE / "htdocs", s.docroot)
    s.start()
    expected = {"/": "text/html", "/css/site.css": "text/css", "/js/site.js": "text/javascript",
                "/images/logo.svg": "image/svg+xml", "/images/pattern.png": "image/png",
                "/favicon.ico": "image/vnd.microsoft.icon"}
    for path, ctype in expected.items():
        status, headers, body = s.get(path)
        assert status == 200, path
        assert headers["content-type"].split(";")[0] == ctype, (path, headers["content-type"])
        local = SOURCE / "htdocs" / (path.lstrip("/") or "index.html")
        assert body == local.read_bytes(), path
