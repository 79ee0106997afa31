"""The correction form ("Klopt er iets niet?"): rendered by the service, prefilled from main.

Where the entry page's link leads (service or GitHub) is one function,
``render.correction_url``; the service's page is ``GET /inzendingen/wijzigen/<slug>/``.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from testkit import REPO

from wijknet.content.models import ValidationContext
from wijknet.project import Project
from wijknet.settings import SiteSettings
from wijknet.submissions import render
from wijknet.submissions.corrections import BranchEntries

from .conftest import TODAY, branches, form_pairs, git, wait_for

HTML = {"Accept": "text/html,application/xhtml+xml"}
FORM = {**HTML, "Content-Type": "application/x-www-form-urlencoded"}
PAGE = "/inzendingen/wijzigen/buurtbuik-dapperbuurt/"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


# --- where the link on the entry page leads --------------------------------------------


def site_settings(**values) -> SiteSettings:
    base = Project.at(REPO).load_settings()
    return base.model_copy(update={"repository": "o/r", "branch": "main", "submissions_url": "", **values})


class _Entry:
    slug = "buurtbuik-dapperbuurt"


@pytest.mark.parametrize(
    ("service", "expected", "via"),
    [
        ("/", "/inzendingen/wijzigen/buurtbuik-dapperbuurt/", "dienst"),
        ("https://inzendingen.example", "https://inzendingen.example/inzendingen/wijzigen/buurtbuik-dapperbuurt/", "dienst"),
        ("https://x.example/dienst/", "https://x.example/dienst/inzendingen/wijzigen/buurtbuik-dapperbuurt/", "dienst"),
        ("", "https://github.com/o/r/edit/main/content/initiatieven/buurtbuik-dapperbuurt.md", "github"),
    ],
)
def test_correction_url_points_at_the_service_or_at_github(monkeypatch, service, expected, via):
    monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    settings = site_settings(submissions_url=service)
    assert render.correction_url(settings, _Entry()) == expected
    assert render.correction_via(settings) == via


def test_correction_url_follows_the_environment_and_needs_somewhere_to_go(monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_URL", "/")
    assert render.correction_url(site_settings(), _Entry()) == "/inzendingen/wijzigen/buurtbuik-dapperbuurt/"
    monkeypatch.delenv("SUBMISSIONS_URL")
    settings = site_settings(repository="", branch="productie", content_dir="inhoud")
    assert render.correction_url(settings, _Entry()) == ""
    assert render.correction_via(settings) == ""
    other = site_settings(branch="productie", content_dir="inhoud/")
    assert render.correction_url(other, _Entry()) == "https://github.com/o/r/edit/productie/inhoud/buurtbuik-dapperbuurt.md"


# --- the page the service renders -------------------------------------------------------


def test_correction_page_is_prefilled_and_posts_like_every_form(make_client):
    client = make_client()
    response = client.get(PAGE)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    page = soup_of(response)
    form = page.select_one("#formulier")
    assert (form["method"], form["action"], form["data-endpoint"]) == ("post", "/api/inzendingen", "/api/inzendingen")
    assert page.select_one('input[name="wijzig"]')["value"] == "buurtbuik-dapperbuurt"
    token = page.select_one('input[name="token"]')["value"]  # the minimum fill time works without JS
    assert client.app.state.service.tokens.usable(token)
    assert form["data-token"] == "/api/inzendingen/token"
    assert page.select_one('input[name="homepage"]')["value"] == ""
    assert page.select_one("#veld-titel")["value"] == "Buurtbuik Dapperbuurt"
    assert page.select_one("#veld-contact-email")["value"] == "oost@buurtbuik.example"
    assert page.select_one('input[name="werkgebied"][value="dapperbuurt"]').has_attr("checked")
    assert page.select_one("#veld-beschrijving").get_text().strip()
    assert not page.select("#geen-dienst")  # never the GitHub fallback: the service is right here
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one(".breadcrumbs [aria-current=page]")["href"] == PAGE
    assert page.select_one('link[rel="stylesheet"]')["href"] == "/static/css/site.css"
    assert client.get("/static/js/form.js").status_code == 200  # served for a service on its own host


def test_unchanged_correction_form_posted_without_javascript_becomes_a_branch(site_repo, make_client):
    client = make_client(min_fill_seconds=0)
    pairs = form_pairs(soup_of(client.get(PAGE)))
    kept = dict(pairs)
    assert kept["wijzig"] == "buurtbuik-dapperbuurt" and "uitgelicht" not in kept
    pairs = [(k, "gratis, een gift mag" if k == "kosten" else v) for k, v in pairs]
    response = client.post("/api/inzendingen", content=urlencode(pairs), headers=FORM)
    assert response.status_code == 202, response.text
    assert "wijziging" in soup_of(response).select_one("h1").get_text()
    branch = wait_for(lambda: next((b for b in branches(site_repo) if b.startswith("inzending/buurtbuik-dapperbuurt-")), None))
    assert git(site_repo, "diff", "--name-status", "main", branch).split() == ["M", "content/initiatieven/buurtbuik-dapperbuurt.md"]
    text = git(site_repo, "show", f"{branch}:content/initiatieven/buurtbuik-dapperbuurt.md")
    assert "kosten: gratis, een gift mag" in text and "uitgelicht:" in text


def test_errors_show_the_correction_form_again_with_input_kept(make_client):
    client = make_client(min_fill_seconds=0)
    pairs = [(k, "Ab" if k == "titel" else v) for k, v in form_pairs(soup_of(client.get(PAGE)))]
    response = client.post("/api/inzendingen", content=urlencode(pairs), headers=FORM)
    assert response.status_code == 422
    page = soup_of(response)
    assert page.select_one(".breadcrumbs [aria-current=page]")["href"] == PAGE  # the same page, not aanmelden
    assert page.select_one('input[name="wijzig"]')["value"] == "buurtbuik-dapperbuurt"
    title = page.select_one("#veld-titel")
    assert title["value"] == "Ab" and title["aria-invalid"] == "true"
    assert "veld-titel-fout" in title["aria-describedby"].split()
    links = page.select("#formulier-fouten li a")
    assert [a["href"] for a in links] == ["#veld-titel"]
    assert page.select_one("#veld-contact-email")["value"] == "oost@buurtbuik.example"  # the rest is kept


def test_abuse_controls_apply_to_a_posted_correction(make_client):
    client = make_client()  # minimum fill time 3 s: the page was shown just now
    pairs = form_pairs(soup_of(client.get(PAGE)))
    too_fast = client.post("/api/inzendingen", content=urlencode(pairs), headers=FORM)
    assert too_fast.status_code == 403 and "te snel" in soup_of(too_fast).select_one("#formulier-melding").get_text()
    # the form comes back with the same token, which can be sent once it is old enough
    assert form_pairs(soup_of(too_fast)) == pairs
    client.clock.advance(3)
    assert client.post("/api/inzendingen", content=urlencode(pairs), headers=FORM).status_code == 202
    trap = client.post("/api/inzendingen", content=urlencode([*pairs, ("homepage", "x")]), headers=FORM)
    assert trap.status_code == 403


@pytest.mark.parametrize("slug", ["bestaat-niet", "Hoofd_Letters", "a", "x" * 120])
def test_unknown_entry_is_a_friendly_404_page(make_client, slug):
    response = make_client().get(f"/inzendingen/wijzigen/{slug}/")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    page = soup_of(response)
    assert page.select_one("h1").get_text(strip=True) == "Dit initiatief bestaat niet (meer)"
    assert page.select_one('a[href="/aanmelden/"]') is not None
    assert page.select_one('html')["lang"] == "nl"


def test_script_in_the_address_is_shown_as_text(make_client):
    response = make_client().get("/inzendingen/wijzigen/%3Cscript%3Ealert(1)%3C%2Fscript%3E/")
    assert response.status_code == 404
    assert "<script>alert" not in response.text


def test_showing_forms_has_its_own_rate_limit(make_client):
    client = make_client(page_rate_limit=(2, 60.0), rate_limit=(1, 60.0), min_fill_seconds=0)
    assert client.get(PAGE).status_code == 200
    pairs = form_pairs(soup_of(client.get(PAGE)))
    limited = client.get(PAGE)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert "Even geduld" in soup_of(limited).select_one("h1").get_text()
    # looking at forms does not use up the budget for sending one
    pairs = [(k, "Nieuw adres per 1 januari" if k == "tijden" else v) for k, v in pairs]
    assert client.post("/api/inzendingen", content=urlencode(pairs), headers=FORM).status_code == 202


def test_only_get_renders(make_client):
    client = make_client()
    assert client.head(PAGE).status_code == 200
    assert client.post(PAGE, data={"titel": "x"}).status_code == 405


def test_the_form_shows_the_entry_as_it_is_on_main(site_repo, make_client):
    path = site_repo / "content" / "initiatieven" / "buurtbuik-dapperbuurt.md"
    path.write_text(path.read_text().replace("Buurtbuik Dapperbuurt", "Niet gecommit"), encoding="utf-8")
    client = make_client()  # the working tree it loads has the uncommitted title
    assert soup_of(client.get(PAGE)).select_one("#veld-titel")["value"] == "Buurtbuik Dapperbuurt"


def test_without_git_the_working_tree_is_used(site_repo, tmp_path, make_client):
    plain = tmp_path / "plain"
    shutil.copytree(site_repo, plain, ignore=shutil.ignore_patterns(".git"))
    client = make_client(repo=plain, publish=False)
    assert soup_of(client.get(PAGE)).select_one("#veld-titel")["value"] == "Buurtbuik Dapperbuurt"
    assert client.get("/inzendingen/wijzigen/bestaat-niet/").status_code == 404


# --- the cache per commit of main -------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_entries_are_read_once_per_commit_of_main(site_repo):
    project = Project.at(site_repo)
    context = ValidationContext(taxonomy=project.load_taxonomy(), settings=project.load_settings(), today=TODAY)
    clock = Clock()
    entries = BranchEntries(site_repo, "content/initiatieven", "main", refresh=2.0, clock=clock)
    reads: list[str] = []
    original = entries._read

    def counting(commit, slug, ctx):
        reads.append(slug)
        return original(commit, slug, ctx)

    entries._read = counting
    first = entries.get("buurtbuik-dapperbuurt", context)
    assert first is not None and first.title == "Buurtbuik Dapperbuurt"
    assert entries.get("buurtbuik-dapperbuurt", context) is first
    assert entries.get("bestaat-niet", context) is None
    assert reads == ["buurtbuik-dapperbuurt"]  # unknown slugs never reach git
    # a new commit on main: seen after the refresh interval, then read again
    path = site_repo / "content" / "initiatieven" / "buurtbuik-dapperbuurt.md"
    path.write_text(path.read_text().replace("Buurtbuik Dapperbuurt", "Buurtbuik Oost"), encoding="utf-8")
    git(site_repo, "commit", "-qam", "Nieuwe naam")
    assert entries.get("buurtbuik-dapperbuurt", context) is first
    clock.now = 5.0
    assert entries.get("buurtbuik-dapperbuurt", context).title == "Buurtbuik Oost"
    assert reads == ["buurtbuik-dapperbuurt", "buurtbuik-dapperbuurt"]
    assert entries.commit() == git(site_repo, "rev-parse", "main").strip()
