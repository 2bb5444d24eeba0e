import pytest

from harness import Server

MPMS = ["prefork", "worker", "event"]


@pytest.fixture
def make_server(tmp_path):
    """make_server(mpm=..., modules=..., config=...) -> a started Server;
    every server is stopped after the test."""
    servers = []

    def factory(start=True, **kwargs):
        s = Server(tmp_path / ("root%d" % len(servers)), **kwargs)
        servers.append(s)
        if start:
            s.start()
        return s

    yield factory
    for s in servers:
        s.stop()
    reports = [r for s in servers for r in s.sanitizer_reports()]
    assert not reports, "sanitizer reports:\n" + "\n".join(r.read_text(errors="replace") for r in reports)


@pytest.fixture(params=MPMS)
def mpm(request):
    return request.param
