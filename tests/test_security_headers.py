"""Every HTTP answer carries the security headers: the service's, `wijknet serve`'s, and
the production example in docs/deploy.md, which must say the same as the code."""

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


ADMIN_LOCATION = re.compile(r"^location /admin/ \{.*?^\}", re.M | re.S)
ADD_HEADER = re.compile(r'^\s*add_header ([\w-]+) "([^"]*)" always;$', re.M)


def test_the_nginx_example_says_what_the_code_sends(monkeypatch):
    monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    monkeypatch.delenv("WIJKNET_LOCAL_BACKEND", raising=False)
    text = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    site, admin = {}, {}
    for block in blocks:
        for location in ADMIN_LOCATION.findall(block):
            admin.update(ADD_HEADER.findall(location))
        site.update(ADD_HEADER.findall(ADMIN_LOCATION.sub("", block)))
    # the example is the one-host set-up: the service on the site's own origin
    settings = _settings(REPO).model_copy(update={"submissions_url": ""})
    assert site == security_headers(settings)
    # the moderators' desk has its own, wider CSP; nginx drops the server's add_header lines
    # in a location with its own, so every header is repeated there
    assert admin == admin_security_headers(settings)
    assert admin["Content-Security-Policy"] != site["Content-Security-Policy"]


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
