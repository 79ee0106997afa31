"""Every HTTP answer carries the security headers: the service's, `wijknet serve`'s, and
the production example in docs/deploy.md, which must say the same as the code, for the
caching and compression of ``wijknet serve`` too."""

from __future__ import annotations

import re
import warnings

from testkit import REPO, TEST_DATE, make_site

from wijknet.http_headers import admin_security_headers, security_headers
from wijknet.project import Project
from wijknet.settings import SiteSettings
from wijknet.submissions.settings import ServiceSettings

with warnings.catch_warnings():  # starlette's notice about httpx, as in the service tests
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _entries():
    folder = REPO / "content" / "initiatieven"
    return {slug: (folder / f"{slug}.md").read_text(encoding="utf-8") for slug in ("buurtbuik-dapperbuurt", "taalcafe-noord")}


def _settings(repo) -> SiteSettings:
    return Project.at(repo).load_settings()


def _check(headers, settings: SiteSettings):
    wanted = security_headers(settings)
    for name, value in wanted.items():
        assert headers.get(name) == value, name
    assert wanted["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert headers["x-content-type-options"] == "nosniff"


def test_the_service_sends_them_on_pages_errors_and_the_api(tmp_path, monkeypatch):
    from wijknet.submissions.app import create_app

    monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    repo = make_site(tmp_path / "site", entries=_entries(), files={".gitignore": ".submissions/\n"}, commit="Begin")
    settings = ServiceSettings(repo=repo, today=TEST_DATE)
    with TestClient(create_app(settings, start_publisher=False)) as client:
        for response in (
            client.get("/api/inzendingen/bestaat-niet"),
            client.get("/geen/route"),
            client.delete("/api/inzendingen"),
            client.post("/api/inzendingen", content=b"{", headers={"Content-Type": "application/json"}),
        ):
            _check(response.headers, _settings(repo))
        page = client.get("/inzendingen/wijzigen/bestaat-niet/")
        _check(page.headers, _settings(repo))
        [meta] = META_CSP.findall(page.text)
        assert page.headers["content-security-policy"] == meta.replace("&#39;", "'") + "; frame-ancestors 'none'"


def test_wijknet_serve_sends_them_for_pages_files_and_missing_paths(tmp_path, monkeypatch):
    from wijknet.commands.serve import build_once, make_app

    monkeypatch.setenv("SUBMISSIONS_URL", "/")
    repo = make_site(tmp_path / "site", entries=_entries(), files={".gitignore": ".submissions/\n"}, commit="Begin")
    output = tmp_path / "output"
    assert build_once(repo, output, TEST_DATE)
    app = make_app(ServiceSettings(repo=repo, today=TEST_DATE), output)
    with TestClient(app) as client:
        home = client.get("/")
        assert home.status_code == 200
        _check(home.headers, _settings(repo))
        [meta] = META_CSP.findall(home.text)
        assert home.headers["content-security-policy"] == meta.replace("&#39;", "'") + "; frame-ancestors 'none'"
        for path in ("/static/css/site.css", "/api/inzendingen/bestaat-niet"):
            _check(client.get(path).headers, _settings(repo))


LOCATION = re.compile(r'^location (?:(~) "([^"]+)"|(\S+)) \{[^\n]*\n(.*?)^\}', re.M | re.S)
ADD_HEADER = re.compile(r'^\s*add_header ([\w-]+) "([^"]*)"( always)?;$', re.M)
DIRECTIVE = re.compile(r"^(gzip\w*) ([^;]+);$", re.M)


class Nginx:
    """The nginx example of docs/deploy.md: the server block's lines and its locations."""

    def __init__(self, text: str):
        blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
        self.server: dict[str, tuple[str, bool]] = {}
        self.locations: dict[str, dict[str, tuple[str, bool]]] = {}  # prefix, or "~ regex"
        self.directives: dict[str, str] = {}
        for block in blocks:
            for regex_mark, regex, prefix, body in LOCATION.findall(block):
                key = f"~ {regex}" if regex_mark else prefix
                headers = self.locations.setdefault(key, {})
                headers.update({name: (value, bool(always)) for name, value, always in ADD_HEADER.findall(body)})
            outside = LOCATION.sub("", block)
            self.server.update({name: (value, bool(always)) for name, value, always in ADD_HEADER.findall(outside)})
            self.directives.update(DIRECTIVE.findall(outside))

    @classmethod
    def documented(cls) -> "Nginx":
        return cls((REPO / "docs" / "deploy.md").read_text(encoding="utf-8"))

    def location_for(self, path: str) -> str:
        """The location nginx picks for ``path``: the first regex that matches, else the longest prefix."""
        for key in self.locations:
            if key.startswith("~ ") and re.search(key[2:], path):
                return key
        return max((key for key in self.locations if not key.startswith("~ ") and path.startswith(key)), key=len, default="")

    def headers_for(self, path: str) -> dict[str, tuple[str, bool]]:
        """What nginx adds to the answer for ``path``: a location with add_header lines of
        its own does not inherit the server block's."""
        own = self.locations.get(self.location_for(path)) or {}
        return own or self.server


def _without(headers: dict[str, tuple[str, bool]], name: str) -> dict[str, str]:
    return {key: value for key, (value, _) in headers.items() if key != name}


def test_the_nginx_example_says_what_the_code_sends(monkeypatch):
    monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    monkeypatch.delenv("WIJKNET_LOCAL_BACKEND", raising=False)
    nginx = Nginx.documented()
    # the example is the one-host set-up: the service on the site's own origin
    settings = _settings(REPO).model_copy(update={"submissions_url": ""})
    site, admin = security_headers(settings), admin_security_headers(settings)
    assert _without(nginx.server, "Cache-Control") == site
    assert all(always for _, always in nginx.server.values())
    # nginx drops the server's add_header lines in a location with its own, so every
    # location with one repeats every header; the moderators' desk has its own, wider CSP
    for key, headers in nginx.locations.items():
        if headers:
            assert _without(headers, "Cache-Control") == (admin if key == "/admin/" else site), key
    assert admin["Content-Security-Policy"] != site["Content-Security-Policy"]
    assert _without(nginx.headers_for("/admin/config.yml"), "Cache-Control") == admin
    for path in ("/", "/api/inzendingen", "/inzendingen/wijzigen/x/", "/static/css/site.1a2b3c4d5e.css"):
        assert _without(nginx.headers_for(path), "Cache-Control") == site, path


PATHS = (
    "/", "/over/", "/initiatieven/buurtbuik-dapperbuurt/", "/initiatieven/1234567890/index.html", "/404.html",
    "/static/css/site.css", "/static/css/site.1a2b3c4d5e.css", "/static/js/form.0a1b2c3d4e.js",
    "/static/vendor/lunr/lunr.min.0c50d9002b.js", "/static/vendor/decap-cms/dist/103.decap-cms.js",
    "/search/manifest.json", "/search/index.json", "/search/t/3.0a1b2c3d4e.json", "/search/terms.d4ee49096e.json",
    "/search/d/0a1b2c3d4e/7.json", "/data/initiatieven.json", "/agenda.ics", "/feeds/all.atom.xml",
    "/admin/", "/admin/config.yml", "/static/css/site.1a2b3c4d.css", "/static/css/site.1a2b3c4d5e.css.map",
)  # fmt: skip


def test_the_nginx_example_caches_and_compresses_as_the_code_does():
    from wijknet.http_headers import COMPRESS_MIN_BYTES, COMPRESSED_TYPES, HASHED_ASSET_PATTERN, cache_control

    nginx = Nginx.documented()
    assert f"~ {HASHED_ASSET_PATTERN}" in nginx.locations, "the hashed-name location is the code's pattern"
    for path in PATHS:
        documented = nginx.headers_for(path)
        assert documented["Cache-Control"][0] == cache_control(path), path
        # the year-long lifetime only on success (no always), so a 404 is never kept
        assert documented["Cache-Control"][1] == (cache_control(path) == cache_control(path, 404)), path
    assert "Cache-Control" not in nginx.server  # the service's own answers keep theirs (no-store)
    assert nginx.directives["gzip"] == "on" and nginx.directives["gzip_vary"] == "on"
    assert int(nginx.directives["gzip_min_length"]) == COMPRESS_MIN_BYTES
    # nginx compresses text/html whenever gzip is on (naming it again only earns a warning)
    assert set(nginx.directives["gzip_types"].split()) | {"text/html"} == COMPRESSED_TYPES
    assert "text/html" not in nginx.directives["gzip_types"].split()


def test_the_nginx_reading_of_the_example_is_the_one_nginx_makes():
    """The test's reading of nginx: a regex location wins over a prefix, and a location with
    add_header lines of its own drops the server's."""
    nginx = Nginx(
        '```nginx\nadd_header A "1" always;\nlocation / {\n}\nlocation /x/ {\n    add_header B "2" always;\n}\n'
        'location ~ "[.]css$" {   # style\n    add_header C "3";\n}\n```\n'
    )
    assert nginx.headers_for("/a/") == {"A": ("1", True)}
    assert nginx.headers_for("/x/y") == {"B": ("2", True)}
    assert nginx.headers_for("/x/y.css") == {"C": ("3", False)}


def test_wijknet_serve_gives_the_desk_its_own_csp_and_the_site_keeps_the_strict_one(tmp_path, monkeypatch):
    from wijknet.commands.serve import build_once, make_app

    monkeypatch.setenv("SUBMISSIONS_URL", "/")
    monkeypatch.setenv("WIJKNET_LOCAL_BACKEND", "http://127.0.0.1:9321/api/v1")
    monkeypatch.setenv("WIJKNET_CACHE_DIR", str(tmp_path / "cache"))
    repo = make_site(tmp_path / "site", entries=_entries(), files={".gitignore": ".submissions/\n"}, commit="Begin")
    output = tmp_path / "output"
    assert build_once(repo, output, TEST_DATE)
    app = make_app(ServiceSettings(repo=repo, today=TEST_DATE), output)
    desk = admin_security_headers(_settings(repo))
    with TestClient(app) as client:
        page = client.get("/admin/")
        assert page.status_code == 200
        for name, value in desk.items():
            assert page.headers[name] == value, name
        [meta] = META_CSP.findall(page.text)
        assert page.headers["content-security-policy"] == meta.replace("&#39;", "'") + "; frame-ancestors 'none'"
        assert "http://127.0.0.1:9321" in meta and "'unsafe-eval'" in meta.replace("&#39;", "'")
        assert client.get("/admin/config.yml").headers["content-security-policy"] == desk["Content-Security-Policy"]
        for path in ("/", "/static/js/desk.js", "/administratie/", "/admin"):
            _check(client.get(path, follow_redirects=False).headers, _settings(repo))


def test_wijknet_serve_answers_missing_paths_with_404_not_500(tmp_path, monkeypatch, caplog):
    from wijknet.commands.serve import build_once, make_app

    monkeypatch.setenv("SUBMISSIONS_URL", "/")
    repo = make_site(tmp_path / "site", entries=_entries(), files={".gitignore": ".submissions/\n"}, commit="Begin")
    output = tmp_path / "output"
    assert build_once(repo, output, TEST_DATE)
    (output / "404.html").write_text("<!doctype html><title>weg</title><p>Niet gevonden, zoek opnieuw.</p>", encoding="utf-8")
    app = make_app(ServiceSettings(repo=repo, today=TEST_DATE), output)
    with TestClient(app, raise_server_exceptions=True) as client:
        for path in ("/bestaat-niet", "/bestaat-niet/", "/static/css/geen.css", "/initiatieven/geen-bericht/",
                     "/../site.yaml", "/%2e%2e/site.yaml", "/static/..%2f..%2fsite.yaml", "/a%2fb/"):
            response = client.get(path)
            assert response.status_code in (400, 404), (path, response.status_code)
            assert "Niet gevonden, zoek opnieuw." in response.text, path
            _check(response.headers, _settings(repo))
        assert client.post("/over/").status_code == 405
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the log"
    (output / "404.html").unlink()
    with TestClient(make_app(ServiceSettings(repo=repo, today=TEST_DATE), output)) as client:
        response = client.get("/bestaat-niet")
        assert response.status_code == 404 and "Pagina niet gevonden" in response.text
