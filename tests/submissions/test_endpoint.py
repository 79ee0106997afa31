"""One setting decides where the form posts and what the page's CSP lets it reach.

The form's endpoint, the Content-Security-Policy (``connect-src``, ``form-action``), the
correction link and the service's allowed origins all ask
:func:`wijknet.settings.submissions_url`. When two of them read the setting apart, a browser
blocks the form (see ``test_browser.py`` for the same check in Chromium).
"""

from __future__ import annotations

import pytest
from testkit import REPO

from wijknet.content.catalog import Catalog
from wijknet.project import Project
from wijknet.settings import submissions_url
from wijknet.engine.format import template_globals
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls
from wijknet.submissions import render
from wijknet.submissions.app import allowed_origins

from .conftest import TODAY, settings_for


def build_with(**settings_values) -> BuildContext:
    project = Project.at(REPO)
    settings = project.load_settings().model_copy(update=settings_values)
    catalog = Catalog(entries=(), taxonomy=project.load_taxonomy(), settings=settings, today=TODAY)
    return BuildContext(catalog, Urls(settings.site_url))


def csp_sources(csp: str, directive: str) -> list[str]:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == directive:
            return words[1:]
    raise AssertionError(f"no {directive} in {csp!r}")


def test_the_environment_wins_over_site_yaml_and_empty_means_none(monkeypatch):
    settings = build_with(submissions_url="https://uit-site-yaml.example").catalog.settings
    monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    assert submissions_url(settings) == "https://uit-site-yaml.example"
    assert submissions_url(settings, {"SUBMISSIONS_URL": " https://dienst.example/ "}) == "https://dienst.example/"
    assert submissions_url(settings.model_copy(update={"submissions_url": ""}), {}) == ""


@pytest.mark.parametrize(
    ("in_site_yaml", "in_environment", "origin"),
    [
        ("https://uit-site-yaml.example", None, "https://uit-site-yaml.example"),
        ("", "https://dienst.example/", "https://dienst.example"),
        ("https://uit-site-yaml.example", "http://127.0.0.1:8123/", "http://127.0.0.1:8123"),
    ],
)
def test_csp_allows_the_endpoint_the_form_posts_to(monkeypatch, in_site_yaml, in_environment, origin):
    if in_environment is None:
        monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    else:
        monkeypatch.setenv("SUBMISSIONS_URL", in_environment)
    build = build_with(submissions_url=in_site_yaml)
    endpoint = render.form_context(build)["endpoint"]
    assert endpoint == f"{origin}/api/inzendingen"
    csp = template_globals(build)["csp"]
    assert origin in csp_sources(csp, "connect-src")  # the form's fetch
    assert origin in csp_sources(csp, "form-action")  # the post without JavaScript
    other = "https://uit-site-yaml.example"
    if origin != other:
        assert other not in csp  # the overridden address is not allowed as well
    assert origin in allowed_origins(settings_for(REPO), build.catalog.settings)


def test_same_origin_service_needs_nothing_beyond_self(monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_URL", "/")
    build = build_with(submissions_url="https://uit-site-yaml.example")
    assert render.form_context(build)["endpoint"] == "/api/inzendingen"
    csp = template_globals(build)["csp"]
    assert csp_sources(csp, "connect-src") == ["'self'"]
    assert csp_sources(csp, "form-action") == ["'self'", "https://github.com"]
