"""Fixture sites and helpers for the site tests: each site is built once per session with the
real build. The fixtures are made available to the tests by ``conftest.py``; the helpers are
imported from here (``from site_support import ...``), a name no other test folder uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from testkit import FIXTURES, REPO, TEST_DATE, make_content
from testkit.serving import axe_violations as axe_all_violations, serve

from wijknet.build import build_site
from wijknet.project import Project

BUILD_DATE = TEST_DATE
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Site:
    """A built site folder with helpers to read its pages."""

    def __init__(self, output: Path, project: Project, base: str = "/"):
        self.output = output
        self.project = project
        self.base = base

    def path(self, url: str) -> Path:
        inner = url[len(self.base) :] if url.startswith(self.base) else url.lstrip("/")
        target = self.output / inner
        return target / "index.html" if url.endswith("/") or not inner else target

    def page_urls(self, only_site_pages: bool = False) -> list[str]:
        """URL of every HTML page for visitors; ``only_site_pages`` leaves out other rooms' pages.

        The moderators' desk (``admin/``) is Decap CMS's own application, not a page of the
        site: its CSP and scripts are tested in ``tests/admin/``."""
        urls = []
        for page in sorted(self.output.rglob("index.html")):
            inner = page.parent.relative_to(self.output).as_posix()
            if inner == "admin" or inner.startswith("admin/"):
                continue
            url = self.base if inner == "." else f"{self.base}{inner}/"
            if only_site_pages and re.search(r"/(zoeken|aanmelden|cijfers|vragen)/", url):
                continue
            urls.append(url)
        return urls

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")


def amsterdam_project(content: Path | None = None) -> Project:
    root = FIXTURES / "amsterdam"
    return Project.at(root, content=content, taxonomy=REPO / "taxonomy", settings=root / "site.yaml")


def zaanstad_project() -> Project:
    return Project.at(FIXTURES / "zaanstad")


@pytest.fixture(scope="session")
def amsterdam_site(tmp_path_factory) -> Site:
    output = tmp_path_factory.mktemp("amsterdam") / "output"
    project = amsterdam_project()
    build_site(project, output, BUILD_DATE)
    return Site(output, project)


@pytest.fixture(scope="session")
def zaanstad_site(tmp_path_factory) -> Site:
    output = tmp_path_factory.mktemp("zaanstad") / "output"
    project = zaanstad_project()
    build_site(project, output, BUILD_DATE)
    return Site(output, project, base="/buurt/")


# Payloads that would run script if any field were not escaped or sanitised.
XSS = {
    "tag": "<script>alert(1)</script>",
    "attr": '"><img src=x onerror=alert(1)>',
    "close": "</script><script>alert(1)</script>",
    "svg": "<svg onload=alert(1)>",
    "quote": "'\"><iframe src=javascript:alert(1)>",
}


def xss_entries() -> dict[str, dict]:
    """One entry per kind, every text field carrying a payload."""
    payload = " ".join(XSS.values())
    description = "\n\n".join(
        [
            payload,
            "[klik](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            '<a href="javascript:alert(1)">a</a> <div onclick="alert(1)">d</div> <style>*{}</style>',
            "<form action=x><button>b</button></form> <object data=x></object> <embed src=x>",
            "```\n</script><script>alert(1)</script>\n```",
            "![x](javascript:alert(1)) <math><mtext><img src=x onerror=alert(1)></mtext></math>",
        ]
    )
    entries = {}
    for index, kind in enumerate(("initiatief", "vraag", "activiteit", "voorziening")):
        data = {
            "titel": f"{XSS['close']} {kind}"[:100],
            "soort": kind,
            "samenvatting": f"{payload} samenvatting"[:300],
            "themas": ["ontmoeting"],
            "werkgebied": ["dapperbuurt"],
            "organisatie": XSS["attr"],
            "contact": {
                "naam": XSS["tag"],
                "email": "xss@test.example",
                "website": "https://test.example/?q=alert(1)&x='onmouseover=alert(1)",
            },
            "locatie": {"naam": XSS["svg"], "adres": XSS["attr"]},
            "tijden": XSS["close"],
            "kosten": XSS["quote"][:100],
            "uitgelicht": {"tot": "2026-12-31", "reden": XSS["attr"]},
            "gecontroleerd": "2026-11-01",
        }
        if kind == "activiteit":
            data["wanneer"] = {"start": "2026-12-01 19:00"}
        entries[f"xss-{index}-{kind}"] = {"data": data, "description": description}
    return entries


def entry_files(entries: dict[str, dict]) -> dict[str, str]:
    """``slug -> file text`` of entries given as front matter ``data`` and a ``description``."""
    texts = {}
    for slug, spec in entries.items():
        front = yaml.safe_dump(spec["data"], allow_unicode=True, sort_keys=False)
        texts[slug] = f"---\n{front}---\n{spec.get('description', '')}\n"
    return texts


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("xss")
    content = make_content(root, content=FIXTURES / "amsterdam" / "content", entries=entry_files(xss_entries()))
    project = amsterdam_project(content)
    output = root / "output"
    build_site(project, output, BUILD_DATE)
    return Site(output, project)


def axe_violations(page) -> list:
    """axe-core's WCAG 2.1 A and AA violations on ``page`` (the site's accessibility check)."""
    return axe_all_violations(page, AXE_TAGS)


@pytest.fixture(scope="session")
def amsterdam_url(amsterdam_site):
    with serve(amsterdam_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def xss_url(xss_site):
    with serve(xss_site.output) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any request outside the test server."""
    # bypass_csp lets axe-core be injected; the CSP itself is checked in the HTML tests
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    outside: list[str] = []
    tab.on("request", lambda request: outside.append(request.url) if not request.url.startswith(("http://127.0.0.1", "data:")) else None)
    yield tab
    context.close()
    assert outside == [], f"requests to third parties: {outside}"
