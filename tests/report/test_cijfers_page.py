"""The "Cijfers" page: provider context, SVG charts and the rendered template, checked
against the fixture repository's known figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader, select_autoescape
from testkit import REPO

from wijknet.project import Project
from wijknet.report.pages import cijfers_context, content_folder, provide
from wijknet.engine.format import template_filters, template_globals
from wijknet.engine.model import BuildContext, Page
from wijknet.engine.urls import Urls

from .conftest import EXPECTED_MONTHLY, TODAY

THEME = REPO / "theme" / "templates"


def build_context(root: Path) -> BuildContext:
    catalog = Project.at(root).load(TODAY).catalog
    return BuildContext(catalog=catalog, urls=Urls(catalog.settings.site_url))


def render(build: BuildContext, page: Page) -> BeautifulSoup:
    """Render like the site engine does: the theme's templates, its filters and globals."""
    env = Environment(
        loader=FileSystemLoader(str(THEME)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(template_filters(build.catalog))
    env.globals.update(template_globals(build))
    html = env.get_template(page.template).render(page_url=build.urls.page("cijfers"), **page.context)
    return BeautifulSoup(html, "html.parser")


@pytest.fixture(scope="module")
def with_git(history_repo):
    build = build_context(history_repo)
    pages = list(provide(build))
    return build, pages


def table(soup: BeautifulSoup, table_id: str) -> dict[str, list[str]]:
    rows = {}
    for row in soup.select(f"#{table_id} tbody tr"):
        key = row.get("data-id") or row.get("data-maand")
        rows[key] = [cell.get_text(strip=True) for cell in row.select("th, td")]
    return rows


def test_one_page_at_the_contract_path(with_git):
    _, pages = with_git
    assert [(p.path, p.template) for p in pages] == [("cijfers/index.html", "cijfers.html")]


def test_context_figures(with_git):
    _, [page] = with_git
    figures = page.context["figures"]
    assert {c.id: c.count for c in figures.kinds} == {"initiatief": 2, "vraag": 0, "activiteit": 1, "voorziening": 2}
    assert [m.as_dict() for m in page.context["monthly"]] == EXPECTED_MONTHLY
    assert page.context["history_note"] == ""


def test_history_is_computed_once_per_build(history_repo, monkeypatch):
    import wijknet.report.pages as report_pages

    build = build_context(history_repo)
    first = cijfers_context(build)
    assert first["monthly"] is not None and build.computed(report_pages.build_history)

    def ask_git_again(*args, **kwargs):
        raise AssertionError("git is asked again in the same build")

    monkeypatch.setattr(report_pages, "read_history", ask_git_again)  # the cached value is used
    assert cijfers_context(build)["monthly"] == first["monthly"]


def test_content_folder_is_found_from_the_sources(history_repo, with_git):
    build, _ = with_git
    assert content_folder(build.catalog) == (history_repo / "content" / "initiatieven").resolve()


def test_rendered_tables_match_the_fixture(with_git):
    build, [page] = with_git
    soup = render(build, page)
    assert soup.select_one("main h1").get_text(strip=True) == "Cijfers"
    assert soup.select_one('[data-cijfer="zichtbaar"]').get_text() == "5"
    assert soup.select_one('[data-cijfer="gepauzeerd"]').get_text() == "1"
    assert soup.select_one('[data-cijfer="gestopt"]').get_text() == "1"
    assert soup.select_one('[data-cijfer="gecontroleerd"]').get_text() == "4"
    kinds = table(soup, "tabel-soorten")
    assert kinds["initiatief"] == ["Initiatief", "2"]
    assert kinds["vraag"] == ["Vraag", "0"]
    stadsdelen = table(soup, "tabel-stadsdelen")
    assert stadsdelen["oost"] == ["Oost", "2"]
    assert stadsdelen["zuidoost"] == ["Zuidoost", "2"]
    assert stadsdelen["amsterdam"] == ["Amsterdam (hele stad)", "1"]
    themes = table(soup, "tabel-themas")
    assert themes["geld"] == ["Geld", "2"] and themes["cultuur"] == ["Cultuur", "1"]
    months = table(soup, "tabel-maanden")
    assert list(months) == [m["month"] for m in EXPECTED_MONTHLY]
    assert months["2026-04"] == ["april 2026", "1", "1", "0"]
    assert months["2026-06"] == ["juni 2026", "0", "1", "1"]
    assert soup.select_one("#geen-geschiedenis") is None


def test_terms_with_entries_link_to_their_facet_page(with_git):
    build, [page] = with_git
    soup = render(build, page)
    assert soup.select_one('#tabel-themas tr[data-id="geld"] a')["href"] == "/thema/geld/"
    assert soup.select_one('#tabel-themas tr[data-id="wonen"] a') is None  # no entries, no page


def test_charts_are_accessible_svg(with_git):
    build, [page] = with_git
    soup = render(build, page)
    charts = soup.select("main svg")
    assert [svg["id"] for svg in charts] == ["grafiek-soorten", "grafiek-themas", "grafiek-stadsdelen", "grafiek-maanden"]
    for svg in charts:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.select_one(f"title#{title_id}").get_text(strip=True)
        assert svg.select_one(f"desc#{desc_id}").get_text(strip=True)
        assert "style" not in svg.attrs and not svg.select("[style], style, script")  # CSP: no inline style
    # one bar per row of the table beside it, longest bar for the largest count
    kinds_bars = soup.select("#grafiek-soorten rect")
    assert len(kinds_bars) == 4
    widths = [float(rect["width"]) for rect in kinds_bars]
    assert widths[1] == 0 and widths[0] == widths[3] == max(widths)
    # the month chart: two bars per month
    assert len(soup.select("#grafiek-maanden rect[fill-opacity]")) == 2 + 2 * len(EXPECTED_MONTHLY)


def test_page_without_git_shows_counts_and_a_note(plain_project):
    build = build_context(plain_project)
    [page] = list(provide(build))
    assert page.context["monthly"] is None
    soup = render(build, page)
    assert "git" in soup.select_one("#geen-geschiedenis").get_text()
    assert soup.select_one("#tabel-maanden") is None
    assert soup.select_one("#grafiek-maanden") is None
    assert table(soup, "tabel-soorten")["voorziening"] == ["Voorziening", "2"]


def test_labels_are_escaped_in_the_svg():
    from wijknet.report.charts import bar_chart

    svg = bar_chart("x", "Titel <b>", "Uitleg & meer", [("<script>alert(1)</script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Titel &lt;b&gt;" in svg and "Uitleg &amp; meer" in svg


def test_same_input_same_bytes(with_git, history_repo):
    build, [page] = with_git
    again_build = build_context(history_repo)
    [again] = list(provide(again_build))
    assert str(render(build, page)) == str(render(again_build, again))
