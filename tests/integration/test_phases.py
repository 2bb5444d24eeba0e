"""The request phases of ABI 1.2, seen through tests/modules/mod_phases.c
under each MPM: their order, which run when, what each result does, output
filters, error_response with internal_redirect, and err_headers_out."""
import pytest

from harness import parse_responses


@pytest.fixture
def server(make_server, mpm, tmp_path):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "phases_module"))
    s.write("index.html", "hello index\n")
    s.write("page.txt", "some text\n")
    s.write("x.phase", "never served as a file\n")
    s.write("errpage.txt", "custom error page\n")
    s.phases_log = tmp_path / "phases.log"
    s.start_env = {"PHASES_LOG": str(s.phases_log)}
    old_env = s.env
    s.env = lambda: dict(old_env(), **s.start_env)
    s.start()
    return s


def logged(s):
    """[(path, status, phases, redirect_status)] from the log_transaction hook."""
    out = []
    for line in s.phases_log.read_text().splitlines():
        path, status, phases, redirect = line.split(" ")
        out.append((path, int(status), phases.split(","), redirect.split("=", 1)[1]))
    return out


ALL = ["post_read", "quick", "header_parser", "access", "access_ex", "type", "fixups", "insert_filter", "handler"]


def test_phases_run_in_apaches_order_and_auth_only_when_asked_for(server):
    status, headers, body = server.get("/page.txt")
    assert (status, body) == (200, b"some text\n")
    assert headers["x-phases"] == ",".join(ALL[:-2])  # the fixup saw what came before it
    assert logged(server)[-1][2] == ALL  # no check_user / auth_check: nothing asked for a user


def test_quick_handler_answers_before_mapping(server):
    status, headers, body = server.get("/page.txt?quick")
    assert (status, body) == (200, b"quick\n")
    assert logged(server)[-1][2] == ["post_read", "quick"]


def test_access_checker_refuses_and_err_headers_out_survive(server):
    status, headers, body = server.get("/page.txt?deny")
    assert status == 403
    assert "x-phases" not in headers  # the fixup never ran
    assert logged(server)[-1][2] == ["post_read", "quick", "header_parser", "access"]


def test_authentication_then_authorization(server):
    status, headers, _ = server.get("/page.txt?auth")
    assert status == 401 and headers["www-authenticate"] == 'X-User realm="phases"'
    status, _, _ = server.get("/page.txt?auth", headers={"X-User": "bob"})
    assert status == 403
    status, headers, body = server.get("/page.txt?auth", headers={"X-User": "alice"})
    assert (status, body) == (200, b"some text\n")
    assert logged(server)[-1][2] == ALL[:5] + ["check_user", "auth_check"] + ALL[5:]


def test_type_checker_picks_the_handler(server):
    status, _, body = server.get("/x.phase")
    assert (status, body) == (200, b"phase handler\n")


def test_output_filter_changes_body_and_headers(server):
    data = server.raw(b"GET /page.txt?upper HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, headers, body = parse_responses(data)[0]
    assert (status, body) == (200, b"SOME TEXT\n")
    assert headers["x-upper"] == "yes" and headers["transfer-encoding"] == "chunked"
    assert "content-length" not in headers
    # A file large enough for sendfile goes through the filter too, whole.
    big = bytes(range(97, 123)) * 4000
    server.write("big.txt", big)
    status, headers, body = server.get("/big.txt?upper")
    assert status == 200 and body == big.upper()
    # HEAD: the headers the filter sets, no body.
    status, headers, body = server.request("HEAD", "/page.txt?upper")
    assert status == 200 and body == b"" and headers["x-upper"] == "yes"
    # Error pages do not go through filters.
    status, headers, body = server.get("/missing?upper")
    assert status == 404 and b"Not Found" in body and "x-upper" not in headers


def test_error_response_serves_another_uri_with_the_error_status(server):
    status, headers, body = server.get("/missing.txt?errdoc")
    assert (status, body) == (404, b"custom error page\n")
    assert headers["content-type"].startswith("text/plain")
    path, st, _, redirect = logged(server)[-1]
    assert (path, st, redirect) == ("/errpage.txt", 404, "404")
    # A forbidden one too; the redirected request runs the access phase again.
    status, _, body = server.get("/page.txt?errdoc&deny")
    assert status == 403


def test_internal_redirects_stop_at_ten(server):
    status, _, body = server.get("/x.phase?loop")
    assert status == 500
    assert "AH00124: Request exceeded the limit of 10 internal redirects" in server.error_log()
    assert server.get("/page.txt")[0] == 200
