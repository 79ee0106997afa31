"""Static assets under content-hashed names: the build writes every CSS and JS file of the
theme and of the browser libraries pages load also as ``name.<hash>.ext``, keeps the plain
copy, and every page names the hashed one (so a browser may keep it for a year)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from testkit import REPO, unhashed

from wijknet.build import SEARCH_BUNDLE, VENDOR_FILES
from wijknet.engine.assets import AssetManifest, content_hash, hashed_name
from wijknet.engine.model import File
from wijknet.engine.urls import Urls
from wijknet.http_headers import HASHED_ASSET, cache_control

THEME_STATIC = REPO / "theme" / "static"


def referenced_assets(html: str) -> list[str]:
    """Every URL under ``/static/`` a page loads or links to."""
    soup = BeautifulSoup(html, "html.parser")
    urls = [tag.get("src") or tag.get("href") for tag in soup.select("script[src], link[href], img[src], a[href]")]
    return [url for url in urls if url and "/static/" in url]


@pytest.mark.parametrize("site_name", ["amsterdam_site", "zaanstad_site"])
def test_no_page_names_a_theme_or_library_file_by_its_plain_name(site_name, request):
    site = request.getfixturevalue(site_name)
    seen = set()
    for page in sorted(site.output.rglob("*.html")):
        for url in referenced_assets(page.read_text(encoding="utf-8")):
            where = page.relative_to(site.output).as_posix()
            assert url != unhashed(url), f"{where} noemt {url} zonder hash"
            assert HASHED_ASSET.search(url), (where, url)
            assert cache_control(url) == "public, max-age=31536000, immutable", url
            hashed, plain = site.path(url), site.path(unhashed(url))
            assert hashed.is_file() and plain.is_file(), (where, url)
            content = hashed.read_bytes()
            assert content == plain.read_bytes() and content_hash(content) in url, url
            seen.add(unhashed(url))
    assert f"{site.base}static/css/site.css" in seen


def test_every_theme_and_library_file_is_written_hashed_and_plain(amsterdam_site):
    out = amsterdam_site.output
    theme = [path.relative_to(THEME_STATIC).as_posix() for path in THEME_STATIC.rglob("*") if path.suffix in (".css", ".js")]
    vendor = [f"vendor/{name}" for name in (*VENDOR_FILES, SEARCH_BUNDLE) if name.endswith((".css", ".js"))]
    assert "css/site.css" in theme and "vendor/lunr/lunr.min.js" in vendor and "vendor/lunr-nl.min.js" in vendor
    for name in theme + vendor:
        plain = out / "static" / name
        assert plain.is_file(), name
        hashed = out / "static" / hashed_name(name, plain.read_bytes())
        assert hashed.is_file() and hashed.read_bytes() == plain.read_bytes(), name
    # nothing else gets a hashed copy: not Decap's bundle, not the YAML modules the desk imports
    copies = {p.relative_to(out).as_posix() for p in (out / "static").rglob("*") if HASHED_ASSET.search(p.name)}
    assert len(copies) == len(theme) + len(vendor)


def test_the_manifest_names_css_and_js_under_static_only():
    files = [
        File("static/css/site.css", b"body{}"),
        File("static/js/a.b.js", b"1"),
        File("static/vendor/yaml/LICENSE", b"ISC"),
        File("search/index.json", b"{}"),
        File("static/x.svg", b"<svg/>"),
    ]
    manifest = AssetManifest.of(files)
    assert manifest.names == {
        "css/site.css": f"css/site.{content_hash(b'body{}')}.css",
        "js/a.b.js": f"js/a.b.{content_hash(b'1')}.js",
    }
    assert re.fullmatch(r"css/site\.[0-9a-f]{10}\.css", manifest.name("css/site.css"))
    assert manifest.name("vendor/yaml/LICENSE") == "vendor/yaml/LICENSE"
    assert [f.path for f in manifest.copies(files)] == [f"static/{manifest.names['css/site.css']}", f"static/{manifest.names['js/a.b.js']}"]
    assert AssetManifest.of([File("static/css/site.css", b"body{color:red}")]).digest() != manifest.digest()


def test_the_url_scheme_asks_the_manifest():
    manifest = AssetManifest.of([File("static/css/site.css", b"body{}")])
    hashed = f"css/site.{content_hash(b'body{}')}.css"
    assert Urls("https://wijknet.example", manifest).static("css/site.css") == f"/static/{hashed}"
    assert Urls("https://example.org/buurt/", manifest).static("/css/site.css") == f"/buurt/static/{hashed}"
    assert Urls("https://wijknet.example", manifest).static("js/onbekend.js") == "/static/js/onbekend.js"
    # without a manifest (the submission service): every file by its own name
    assert Urls("https://wijknet.example").static("css/site.css") == "/static/css/site.css"
    assert Urls("https://wijknet.example", manifest).key() != Urls("https://wijknet.example").key()


def test_the_pelican_host_and_the_build_make_the_same_manifest():
    """The news pages Pelican renders name the same hashed files as the build's pages."""
    from wijknet.build import asset_manifest, site_assets

    conf = {"THEME_STATIC_DIR": "static", "THEME_STATIC_PATHS": ["static"]}
    files, assets = site_assets(REPO / "theme", conf, REPO / "node_modules")
    assert assets == asset_manifest(REPO / "theme", conf, REPO / "node_modules")
    assert len(assets.names) >= 10
    paths = {item.path for item in files}
    assert all(f"static/{hashed}" in paths and f"static/{plain}" in paths for plain, hashed in assets.names.items())
