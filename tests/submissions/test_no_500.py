"""No input gives a 500: every route with every method, malformed and hostile bodies, and a
client that hangs up. Every answer has the documented error shape, and nothing is logged
as a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import threading

import pytest

from wijknet.submissions.app import same_origin_path

from .conftest import valid_submission

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")
ROUTES = (
    "/api/inzendingen",
    "/api/inzendingen/token",
    "/api/inzendingen/abc123",
    "/api/inzendingen/abc123/extra",
    "/inzendingen/wijzigen/buurtbuik-dapperbuurt/",
    "/inzendingen/wijzigen/..%2f..%2fetc%2fpasswd/",
    "/",
    "/static/../site.yaml",
    "/static/%2e%2e/%2e%2e/site.yaml",
    "/static/css/bestaat-niet.css",
    "/geen/route",
)


def _assert_error_shape(response, status: int | None = None):
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text[:300])
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert body["status"] == "fout" and isinstance(body["code"], str)
        assert body["errors"] and all("message" in e and "field" in e for e in body["errors"])


@pytest.fixture
def client(make_client, caplog):
    caplog.set_level(logging.DEBUG)
    return make_client(publish=False, min_fill_seconds=0)


def _no_tracebacks(caplog):
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


def test_every_route_with_every_method_answers_without_a_500(client, caplog):
    seen = {}
    for route in ROUTES:
        for method in METHODS:
            response = client.request(method, route, headers={"Accept": "application/json"})
            seen[(method, route)] = response.status_code
            assert response.status_code < 500, (method, route, response.text[:300])
            if response.status_code >= 400 and method != "HEAD":
                assert response.headers["content-type"].startswith(("application/json", "text/html")), (method, route)
                if route.startswith("/api/") or response.status_code == 405:
                    _assert_error_shape(response)
    assert seen[("GET", "/inzendingen/wijzigen/buurtbuik-dapperbuurt/")] == 200
    assert seen[("DELETE", "/api/inzendingen")] == 405
    assert seen[("GET", "/api/inzendingen/token")] == 200
    assert seen[("POST", "/api/inzendingen/token")] == 405
    assert seen[("GET", "/geen/route")] == 404
    assert seen[("GET", "/static/css/bestaat-niet.css")] == 404
    _no_tracebacks(caplog)


def test_wrong_method_names_the_allowed_ones(client):
    response = client.put("/api/inzendingen", json=valid_submission())
    _assert_error_shape(response, 405)
    assert response.headers["allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"


def test_a_refused_cors_preflight_has_the_error_shape(client):
    response = client.options(
        "/api/inzendingen",
        headers={"Origin": "https://kwaad.example", "Access-Control-Request-Method": "POST"},
    )
    _assert_error_shape(response, 400)
    assert response.json()["code"] == "bad_cors"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"x":' * 5000 + "1" + "}" * 5000, None),  # deep nesting: RecursionError before
        ("[" * 30_000 + "]" * 30_000, None),
        ('{"titel": "a\\ud800b"}', "titel"),  # lone surrogates: UnicodeEncodeError before
        ('{"sleutel": "\\udfff"}', "sleutel"),
        ('{"inzender": {"email": "x\\ud83d@example.org"}}', "inzender.email"),
        ('{"inzender": {"telefoon": "020\\udc00"}}', "inzender.telefoon"),
        ('{"\\ud800": 1}', "\\ud800"),
        ("\xff\xfe", None),
        ("null", None),
        ('"tekst"', None),
        ("{", None),
    ],
)
def test_malformed_json_is_a_clean_422(client, caplog, body, field):
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if body == "\xff\xfe":
        raw = b"\xff\xfe"
    response = client.post("/api/inzendingen", content=raw, headers={"Content-Type": "application/json"})
    _assert_error_shape(response, 422)
    if field is not None:
        assert response.json()["errors"][0]["field"] == field
        assert "U+D" in response.json()["errors"][0]["message"]
    _no_tracebacks(caplog)


def test_surrogates_in_a_form_post_are_refused_by_field(client):
    response = client.post(
        "/api/inzendingen",
        content=f"titel=%ED%A0%80&token={client.token()}".encode(),  # the UTF-8 bytes of a surrogate are invalid UTF-8
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _assert_error_shape(response, 422)


def test_a_client_that_hangs_up_mid_body_gets_no_traceback(client, caplog):
    """The ASGI app is called directly with a body that stops with a disconnect."""
    app = client.app
    messages = [
        {"type": "http.request", "body": b'{"titel": "hal', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/inzendingen", "raw_path": b"/api/inzendingen", "root_path": "", "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"host", b"testserver")],
        "client": ("127.0.0.1", 5555), "server": ("testserver", 80), "state": {},
    }  # fmt: skip
    # in a thread of its own: the test client may already run an event loop in this one
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    worker.start()
    worker.join(30)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 400
    _no_tracebacks(caplog)


@pytest.mark.parametrize(
    ("referer", "expected"),
    [
        ("javascript:alert(1)", None),
        ("https://kwaad.example/aanmelden/", None),
        ("http://testserver/aanmelden/?x=1", "/aanmelden/?x=1"),
        ("http://testserver//kwaad.example/", "/"),
        ("", None),
    ],
)
def test_the_back_link_is_a_same_origin_path_only(referer, expected):
    assert same_origin_path(referer, frozenset({"http://testserver"})) == expected


def test_a_javascript_referer_never_becomes_the_back_link(client):
    response = client.post(
        "/api/inzendingen",
        content=json.dumps({"titel": "x"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html", "Referer": "javascript:alert(1)"},
    )
    assert "javascript:" not in response.text
