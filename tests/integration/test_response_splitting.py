"""Response splitting: no header a module sets may carry a CR, LF or other
control character onto the wire, whoever set it and however it got there.
The response layer checks every header before any goes out (Apache's
AH02429/AH02430) and answers 500 instead; a CR LF decoded from the path is
refused with 400 before any module sees it."""
import re

import pytest

from harness import handler_locations, parse_responses, status_of

MODULE = "headers_from_query_module"


@pytest.fixture
def server(make_server, mpm):
    return make_server(mpm=mpm, modules=("static_module", MODULE),
                       config=handler_locations("headers-from-query"))


def get(server, target):
    data = server.raw(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % target)
    return data, parse_responses(data)


@pytest.mark.parametrize("query", [
    b"set=Location:/new/x%0d%0aSet-Cookie:%20session=attacker",
    b"add=X-Note:a%0aSet-Cookie:%20session=attacker",
    b"set=X-Note:a%0dSet-Cookie:%20session=attacker",
    b"type=text/html%0d%0aSet-Cookie:%20session=attacker",
    b"set=Set-Cookie%0d%0aX:%20session=attacker",
    b"set=X-Bell:a%07b",
    b"set=Bad%20Name:v",
])
def test_a_header_that_would_split_the_response_makes_it_a_500(server, query):
    data, responses = get(server, b"/headers-from-query?" + query)
    assert len(responses) == 1, data
    status, headers, body = responses[0]
    assert status == 500, data
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"session=attacker" not in head, data
    assert b"set-cookie" not in headers
    assert b"ok\n" not in body  # the module's own body has no place in the 500
    log = server.error_log()
    assert re.search(r"(AH02429|AH02430): Response header .* contains invalid characters, aborting request", log), log
    # The connection is still usable: the next request on it is answered.
    status, _, body = server.get("/headers-from-query?set=X-Fine:yes")
    assert status == 200 and body == b"ok\n"


def test_ordinary_header_values_pass(server):
    data, responses = get(server, b"/headers-from-query?set=X-Tab:a%09b&add=X-Utf8:caf%C3%A9"
                                  b"&type=text/plain;%20charset=utf-8&status=201")
    status, headers, body = responses[0]
    assert status == 201 and body == b"ok\n"
    assert headers["x-tab"] == "a\tb"
    assert headers["x-utf8"] == "caf\u00e9"  # obs-text passes as sent (UTF-8 here)
    assert headers["content-type"] == "text/plain; charset=utf-8"


def test_a_redirect_built_from_the_path_cannot_be_split(server):
    # docs/modules.md's redirect example copies the decoded path into
    # Location; a CR LF in the path is refused before any module runs.
    data = server.raw(b"GET /old/x%0d%0aSet-Cookie:%20session=attacker HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(data) == 400, data
    assert b"\r\nSet-Cookie" not in data


def test_err_headers_out_survive_an_error_page_and_are_checked_too(server):
    # A fixups hook cannot know the handler will answer 404: what it puts in
    # err_headers_out goes out with the error page, what it puts in
    # headers_out does not (Apache's two tables).
    data = server.raw(b"GET /missing.html?always=X-Trace:abc&fixup=X-Plain:1 HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
    status, headers, _ = parse_responses(data)[0]
    assert status == 404
    assert headers["x-trace"] == "abc" and "x-plain" not in headers
    # And a 200 carries both.
    data = server.raw(b"GET /headers-from-query?always=X-Trace:abc&fixup=X-Plain:1 HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
    status, headers, _ = parse_responses(data)[0]
    assert status == 200 and headers["x-trace"] == "abc" and headers["x-plain"] == "1"
    # The check covers err_headers_out as well.
    data = server.raw(b"GET /missing.html?always=X-Trace:a%0d%0aSet-Cookie:%20x=y HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
    status, headers, _ = parse_responses(data)[0]
    assert status == 500 and "set-cookie" not in headers
