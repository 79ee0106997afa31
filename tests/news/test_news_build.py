"""The Nieuws section: Pelican articles in ``content/nieuws/`` rendered in our theme, with
Pelican's own pagination and Atom feed, and the latest three on the home page."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from news_support import NEWS_COUNT, REPO, make_project, news_article
from testkit import TEST_DATE, tree

from wijknet.build import BuildError, build_site
from wijknet_pelican.host import build

ATOM = "{http://www.w3.org/2005/Atom}"


def html(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")


def test_every_published_article_has_its_page_in_our_theme(news_site):
    output = news_site["output"]
    for number in range(1, NEWS_COUNT + 1):
        page = html(output, f"nieuws/bericht-{number:02d}/index.html")
        assert page.select_one("main h1").get_text() == f"Nieuwsbericht {number:02d} uit de buurt"
        assert page.select_one("html")["lang"] == "nl"
        assert page.select_one("meta[http-equiv=Content-Security-Policy]")["content"].startswith("default-src 'self'")
        assert page.select_one("link[rel=canonical]")["href"].endswith(f"/nieuws/bericht-{number:02d}/")
        assert page.select_one(".description strong").get_text() == "nadruk"
        # no inline script (CSP); JSON-LD is a data block, never run
        assert not page.select('script:not([src]):not([type="application/ld+json"])'), "no inline script (CSP)"
        assert page.select_one('script[type="application/ld+json"]'), "breadcrumbs for search engines"
    first = html(output, "nieuws/bericht-01/index.html")
    assert first.select_one("time")["datetime"] == "2026-01-21"
    assert "21 januari 2026" in first.select_one("time").get_text()


def test_a_draft_is_not_published(news_site):
    output = news_site["output"]
    assert not (output / "nieuws" / "concept").exists()
    assert "Nog niet af" not in (output / "nieuws" / "index.html").read_text(encoding="utf-8")


def test_the_news_list_is_paginated_newest_first(news_site):
    output = news_site["output"]
    first = html(output, "nieuws/index.html")
    second = html(output, "nieuws/pagina/2/index.html")
    titles = [a.get_text() for a in first.select(".news-list h2 a")]
    assert len(titles) == 10
    assert titles[0] == f"Nieuwsbericht {NEWS_COUNT:02d} uit de buurt"
    assert [a.get_text() for a in second.select(".news-list h2 a")] == ["Nieuwsbericht 02 uit de buurt", "Nieuwsbericht 01 uit de buurt"]
    assert first.select_one("a[rel=next]")["href"] == "/nieuws/pagina/2/"
    assert second.select_one("a[rel=prev]")["href"] == "/nieuws/"
    assert second.select_one(".pagination a[aria-current=page]").get_text() == "Pagina 2"
    assert second.select_one("link[rel=canonical]")["href"].endswith("/nieuws/pagina/2/")


def test_the_atom_feed_parses_and_links_every_article(news_site):
    root = ET.parse(news_site["output"] / "nieuws" / "atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == NEWS_COUNT
    site_url = news_site["project"].load_settings().site_url.rstrip("/")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0] == f"{site_url}/nieuws/bericht-{NEWS_COUNT:02d}/"
    assert all(link.startswith(site_url + "/nieuws/") for link in links)
    assert entries[0].find(f"{ATOM}title").text == f"Nieuwsbericht {NEWS_COUNT:02d} uit de buurt"
    # the feed's date is the newest article's, not the clock's
    assert root.find(f"{ATOM}updated").text.startswith(entries[0].find(f"{ATOM}updated").text[:10])


def test_the_home_page_shows_the_latest_three_and_the_menu_links_the_news(news_site):
    home = html(news_site["output"], "index.html")
    section = home.select_one("section.news")
    assert section.select_one("h2").get_text() == "Nieuws"
    links = [a.get_text() for a in section.select(".news-list a")]
    assert links == [f"Nieuwsbericht {n:02d} uit de buurt" for n in (NEWS_COUNT, NEWS_COUNT - 1, NEWS_COUNT - 2)]
    assert section.select_one(".news-list a")["href"] == f"/nieuws/bericht-{NEWS_COUNT:02d}/"
    for page in (home, html(news_site["output"], "over/index.html")):
        assert [a["href"] for a in page.select("nav.site-nav a") if a.get_text() == "Nieuws"] == ["/nieuws/"]


def test_a_site_without_news_is_built_as_before(tmp_path):
    """No nieuws/ folder, no empty Nieuws block, no menu link: the same bytes as the engine alone."""
    project = make_project(tmp_path / "site", {})
    shutil.rmtree(project.content.parent / "nieuws")
    build(project, tmp_path / "hosted", TEST_DATE, use_cache=False)
    build_site(project, tmp_path / "engine", TEST_DATE, use_cache=False)
    assert tree(tmp_path / "hosted") == tree(tmp_path / "engine")
    assert not (tmp_path / "hosted" / "nieuws").exists()
    home = (tmp_path / "hosted" / "index.html").read_text(encoding="utf-8")
    assert "nieuws" not in home.lower()


def test_editing_news_rebuilds_in_place_as_a_clean_build_would(news_site, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(news_site["project"].root, root)
    project = make_project(root, {})
    cache = tmp_path / "cache"
    output = tmp_path / "output"
    build(project, output, TEST_DATE, cache_dir=cache)
    unchanged = build(project, output, TEST_DATE, cache_dir=cache)
    assert (unchanged.rendered, unchanged.written) == (0, 0)
    (project.content.parent / "nieuws" / "bericht-13.md").write_text(news_article(13, Title="Nieuw buurtteam in Noord"), encoding="utf-8")
    edited = build(project, output, TEST_DATE, cache_dir=cache)
    assert edited.written > 0
    assert "Nieuw buurtteam in Noord" in (output / "index.html").read_text(encoding="utf-8")
    build(project, tmp_path / "clean", TEST_DATE, use_cache=False)
    assert tree(output) == tree(tmp_path / "clean")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"Status": "concept"}, "status"),
        ({"Date": None}, "date"),
        ({"Date": "23-11-2026"}, "date"),
        ({"Title": None}, "title"),
        ({"Datum": "2026-11-23"}, "datum"),
        ({"Slug": "Hoofd Letters"}, "slug"),
    ],
)
def test_invalid_news_metadata_fails_the_build_naming_file_and_field(tmp_path, fields, field):
    project = make_project(tmp_path / "site", {"goed.md": news_article(1), "fout.md": news_article(2, **fields)})
    output = tmp_path / "output"
    with pytest.raises(BuildError) as raised:
        build(project, output, TEST_DATE, cache_dir=tmp_path / "cache")
    message = str(raised.value)
    assert "fout.md:" in message and f": {field}: " in message
    assert "goed.md" not in message
    assert not output.exists(), "the output folder is not touched"


def test_wijknet_build_and_pelican_content_report_invalid_news(tmp_path):
    project = make_project(tmp_path / "site", {"fout.md": news_article(1, Status="concept")})
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WIJKNET_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "400"}
    wijknet = [sys.executable, "-m", "wijknet.cli", "build", "--root", str(project.root), "--taxonomy", str(REPO / "taxonomy"), "--output", str(tmp_path / "a"), "--date", "2026-11-23"]
    done = subprocess.run(wijknet, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "fout.md" in done.stderr and "status" in done.stderr
    pelican = [sys.executable, "-m", "pelican", str(project.content.parent), "-s", str(REPO / "pelicanconf.py"), "-o", str(tmp_path / "b")]
    done = subprocess.run(pelican, capture_output=True, text=True, cwd=REPO, env={**env, "WIJKNET_ROOT": str(project.root), "WIJKNET_TAXONOMY": str(REPO / "taxonomy"), "WIJKNET_SETTINGS": str(project.settings_path)}, check=False)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "fout.md" in done.stdout + done.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b" / "index.html").exists()


def test_a_hidden_article_has_a_page_but_is_not_listed(news_site):
    output = news_site["output"]
    assert html(output, "nieuws/verborgen/index.html").select_one("main h1").get_text() == "Alleen met de link"
    assert "Alleen met de link" not in (output / "nieuws" / "index.html").read_text(encoding="utf-8")
    assert "Alleen met de link" not in (output / "index.html").read_text(encoding="utf-8")
