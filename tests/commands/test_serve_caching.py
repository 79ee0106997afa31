"""``wijknet serve`` caches and compresses as a production server should: files whose names
carry a content hash for a year (immutable), everything else revalidated (``no-cache`` with
ETag / Last-Modified, ``304`` when unchanged), text gzip-compressed for clients that accept
it. One function decides the caching of a path (:func:`wijknet.http_headers.cache_control`)."""

from __future__ import annotations

import gzip
import re
import warnings

import pytest
from bs4 import BeautifulSoup
from testkit import REPO, TEST_DATE, make_site, unhashed

from wijknet.commands.serve import build_once, make_app
from wijknet.http_headers import CACHE_IMMUTABLE, CACHE_REVALIDATE, COMPRESS_MIN_BYTES, accepts_gzip, cache_control
from wijknet.submissions.settings import ServiceSettings

with warnings.catch_warnings():  # starlette's notice about httpx, as in the service tests
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/static/css/site.1a2b3c4d5e.css", CACHE_IMMUTABLE),
        ("/static/vendor/lunr/lunr.min.0c50d9002b.js", CACHE_IMMUTABLE),
        ("/search/t/12.0a1b2c3d4e.json", CACHE_IMMUTABLE),  # a term shard
        ("/search/terms.d4ee49096e.json", CACHE_IMMUTABLE),  # the term dictionary
        ("/search/d/0a1b2c3d4e/7.json", CACHE_IMMUTABLE),  # a document fragment, in its block's folder
        ("/buurt/static/js/form.b84a328163.js", CACHE_IMMUTABLE),  # a site under a base path
        ("/static/css/site.css", CACHE_REVALIDATE),
        ("/static/js/desk-files.js", CACHE_REVALIDATE),
        ("/static/vendor/decap-cms/dist/103.decap-cms.js", CACHE_REVALIDATE),
        ("/search/manifest.json", CACHE_REVALIDATE),
        ("/search/index.json", CACHE_REVALIDATE),
        ("/", CACHE_REVALIDATE),
        ("/over/", CACHE_REVALIDATE),
        ("/initiatieven/1234567890/", CACHE_REVALIDATE),  # a slug of hex digits is still a page
        ("/initiatieven/1234567890/index.html", CACHE_REVALIDATE),
        ("/static/css/site.1a2b3c4d5e.css.map", CACHE_REVALIDATE),
        ("/static/css/site.1A2B3C4D5E.css", CACHE_REVALIDATE),
        ("/static/css/site.1a2b3c4d.css", CACHE_REVALIDATE),  # eight digits: not a name the build makes
        ("/feeds/all.atom.xml", CACHE_REVALIDATE),
        ("/agenda.ics", CACHE_REVALIDATE),
        ("/api/inzendingen/abc", CACHE_REVALIDATE),
    ],
)
def test_one_function_decides_the_caching_of_a_path(path, expected):
    assert cache_control(path) == expected


def test_an_error_is_never_cached_for_long():
    """A hashed name that is missing now may be there after the next build."""
    assert cache_control("/static/css/site.1a2b3c4d5e.css", 404) == CACHE_REVALIDATE
    assert cache_control("/static/css/site.1a2b3c4d5e.css", 304) == CACHE_IMMUTABLE


@pytest.mark.parametrize(
    "header, accepted",
    [("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.5", True), ("*", True),
     ("identity", False), ("", False), ("gzip;q=0", False), ("*;q=0", False), ("br, *;q=0.1", True),
     ("deflate, gzip;q=0, *", False)],
)  # fmt: skip
def test_which_clients_get_gzip(header, accepted):
    assert accepts_gzip(header) is accepted


def _entries():
    folder = REPO / "content" / "initiatieven"
    return {slug: (folder / f"{slug}.md").read_text(encoding="utf-8") for slug in ("buurtbuik-dapperbuurt", "taalcafe-noord", "kerstmaaltijd-alleenstaanden-weesp")}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A small site built and served by ``wijknet serve``'s app: (client, output folder)."""
    tmp = tmp_path_factory.mktemp("serve-caching")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUBMISSIONS_URL", "/")
        patch.setenv("WIJKNET_CACHE_DIR", str(tmp / "cache"))
        repo = make_site(tmp / "site", entries=_entries(), files={".gitignore": ".submissions/\n"}, commit="Begin")
        output = tmp / "output"
        assert build_once(repo, output, TEST_DATE)
        with TestClient(make_app(ServiceSettings(repo=repo, today=TEST_DATE), output)) as client:
            yield client, output


def _file_of(output, path):
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def _text_paths(output) -> list[str]:
    """One file of each text kind the site serves."""
    html = (output / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    [sheet] = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    zoeken = BeautifulSoup((output / "zoeken" / "index.html").read_text(encoding="utf-8"), "html.parser")
    script = zoeken.select("script[src]")[-1]["src"]
    shard = next((output / "search").glob("terms.*.json")).relative_to(output).as_posix()
    return ["/", "/over/", sheet, script, "/static/js/filters.js", "/search/manifest.json", f"/{shard}",
            "/data/initiatieven.json", "/data/initiatieven.csv", "/agenda.ics", "/sitemap.xml", "/feeds/all.atom.xml"]  # fmt: skip


def test_text_is_gzipped_when_the_client_accepts_it_and_plain_when_not(served):
    client, output = served
    for path in _text_paths(output):
        body = _file_of(output, path).read_bytes()
        assert len(body) >= COMPRESS_MIN_BYTES, path
        packed = client.get(path, headers=GZIP)
        assert packed.status_code == 200, path
        assert packed.headers["content-encoding"] == "gzip", path
        assert "accept-encoding" in packed.headers["vary"].lower(), path
        assert packed.content == body, path  # the client unpacked it: the same bytes
        assert int(packed.headers["content-length"]) < len(body), path
        plain = client.get(path, headers=IDENTITY)
        assert "content-encoding" not in plain.headers, path
        assert "accept-encoding" in plain.headers["vary"].lower(), path
        assert plain.content == body and int(plain.headers["content-length"]) == len(body), path


def test_the_gzip_on_the_wire_is_gzip(served):
    client, output = served
    with client.stream("GET", "/", headers=GZIP) as response:
        raw = b"".join(response.iter_raw())
    assert gzip.decompress(raw) == (output / "index.html").read_bytes()


def test_small_files_binary_files_and_head_requests_are_sent_as_they_are(served):
    client, output = served
    robots = client.get("/robots.txt", headers=GZIP)
    assert len(robots.content) < COMPRESS_MIN_BYTES and "content-encoding" not in robots.headers
    [wasm] = list((output / "static" / "vendor" / "decap-cms" / "dist").rglob("*.wasm"))[:1]
    binary = client.get("/" + wasm.relative_to(output).as_posix(), headers=GZIP)
    assert binary.status_code == 200 and "content-encoding" not in binary.headers
    head = client.head("/", headers=GZIP)
    assert head.status_code == 200 and "content-encoding" not in head.headers
    assert int(head.headers["content-length"]) == (output / "index.html").stat().st_size


def test_only_files_with_a_content_hash_in_their_name_are_kept_for_a_year(served):
    client, output = served
    hashed = [path for path in _text_paths(output) if path != unhashed(path) or "/terms." in path]
    assert len(hashed) == 3  # the stylesheet, the search script, the term dictionary
    for path in hashed:
        assert client.get(path).headers["cache-control"] == "public, max-age=31536000, immutable", path
    for path in [p for p in _text_paths(output) if p not in hashed] + ["/static/css/site.css", "/robots.txt", "/bestaat-niet/"]:
        response = client.get(path)
        assert response.headers["cache-control"] == "no-cache", path
        if response.status_code == 200:
            assert response.headers.get("etag") and response.headers.get("last-modified"), path


@pytest.mark.parametrize("encoding", [GZIP, IDENTITY])
def test_a_conditional_request_for_an_unchanged_file_is_answered_304(served, encoding):
    client, output = served
    for path in ("/", "/static/css/site.css", "/search/manifest.json"):
        first = client.get(path, headers=encoding)
        etag = first.headers["etag"]
        assert etag.startswith('W/"') == (encoding is GZIP), (path, etag)  # gzip: another representation
        again = client.get(path, headers={**encoding, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == etag and again.headers["cache-control"] == "no-cache", path
        assert "accept-encoding" in again.headers["vary"].lower(), path
        since = client.get(path, headers={**encoding, "If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304, path
        changed = client.get(path, headers={**encoding, "If-None-Match": '"iets-anders"'})
        assert changed.status_code == 200 and changed.content == _file_of(output, path).read_bytes(), path


def test_the_service_keeps_no_store_and_its_pages_get_their_files(served):
    client, _ = served
    token = client.get("/api/inzendingen/token", headers=GZIP)
    assert token.status_code == 200 and token.headers["cache-control"] == "no-store"
    form = client.get("/inzendingen/wijzigen/taalcafe-noord/", headers=GZIP)
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    soup = BeautifulSoup(form.text, "html.parser")
    assets = [link["href"] for link in soup.select('link[rel="stylesheet"]')] + [s["src"] for s in soup.select("script[src]")]
    assert "/static/css/site.css" in assets and any(re.search(r"/static/js/form\.", url) for url in assets)
    for url in assets:
        answer = client.get(url, headers=GZIP)
        assert answer.status_code == 200, url
        assert answer.content == (REPO / "theme" / unhashed(url).lstrip("/")).read_bytes(), url
