"""Pelican's share of a build (the news, its settings) is kept between builds: a rebuild
after an entry edit does not start Pelican, and gives the bytes a clean build gives. Any
change to what Pelican reads (news, theme, settings file, build date) starts it again."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from news_support import REPO, make_project, news_article
from testkit import TEST_DATE, tree

from wijknet_pelican.host import build


@pytest.fixture
def pelican_runs(monkeypatch) -> list[str]:
    """Every start of Pelican in this process, by its content path."""
    import pelican

    runs: list[str] = []
    original = pelican.Pelican.run

    def run(self):
        runs.append(self.path)
        return original(self)

    monkeypatch.setattr(pelican.Pelican, "run", run)
    return runs


@pytest.fixture
def site(tmp_path):
    """A project with news, its own settings file and its own copy of the theme."""
    project = make_project(tmp_path / "site", {f"bericht-{n}.md": news_article(n) for n in (1, 2)})
    shutil.copytree(REPO / "theme", project.root / "theme")
    (project.root / "pelicanconf.py").write_text(
        (REPO / "pelicanconf.py").read_text(encoding="utf-8").replace(
            'WIJKNET_NODE_MODULES = os.path.join(_HERE, "node_modules")', f"WIJKNET_NODE_MODULES = {str(REPO / 'node_modules')!r}"
        ),
        encoding="utf-8",
    )
    return {"project": project, "cache": tmp_path / "cache", "output": tmp_path / "output", "tmp": tmp_path}


def rebuild(site, today=TEST_DATE):
    return build(site["project"], site["output"], today, cache_dir=site["cache"])


def clean_build(site, name="clean"):
    build(site["project"], site["tmp"] / name, TEST_DATE, use_cache=False)
    return tree(site["tmp"] / name)


def an_entry(project):
    return sorted(project.content.glob("*.md"))[0]


def test_an_entry_edit_does_not_start_pelican_and_equals_a_clean_build(site, pelican_runs):
    rebuild(site)
    assert len(pelican_runs) == 1
    entry = an_entry(site["project"])
    entry.write_text(entry.read_text(encoding="utf-8") + "\nVanaf januari ook op zaterdag open.\n", encoding="utf-8")
    report = rebuild(site)
    assert len(pelican_runs) == 1, "Pelican was started for an entry edit"
    assert report.written > 0
    assert "zaterdag open" in (site["output"] / "initiatieven" / entry.stem / "index.html").read_text(encoding="utf-8")
    assert (site["output"] / "nieuws" / "bericht-1" / "index.html").is_file()
    assert tree(site["output"]) == clean_build(site)


def test_a_news_edit_starts_pelican(site, pelican_runs):
    rebuild(site)
    (site["project"].content.parent / "nieuws" / "bericht-3.md").write_text(news_article(3, Title="Verslag netwerkbijeenkomst Oost"), encoding="utf-8")
    rebuild(site)
    assert len(pelican_runs) == 2
    assert "Verslag netwerkbijeenkomst Oost" in (site["output"] / "nieuws" / "index.html").read_text(encoding="utf-8")
    assert tree(site["output"]) == clean_build(site)


def test_a_theme_edit_starts_pelican_and_reaches_the_news_pages(site, pelican_runs):
    rebuild(site)
    template = site["project"].root / "theme" / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    assert "{% block content %}" in text
    template.write_text(text.replace("{% block content %}", "{% block content %}<p>Nieuw in het thema</p>", 1), encoding="utf-8")
    rebuild(site)
    assert len(pelican_runs) == 2
    assert "Nieuw in het thema" in (site["output"] / "nieuws" / "bericht-1" / "index.html").read_text(encoding="utf-8")


def test_a_new_build_date_starts_pelican(site, pelican_runs):
    rebuild(site)
    rebuild(site, TEST_DATE + dt.timedelta(days=1))
    assert len(pelican_runs) == 2


def test_a_clean_build_setting_keeps_nothing_of_pelican(site, pelican_runs):
    conf = site["project"].root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nDELETE_OUTPUT_DIRECTORY = True\n", encoding="utf-8")
    rebuild(site)
    entry = an_entry(site["project"])
    entry.write_text(entry.read_text(encoding="utf-8") + "\nVanaf januari ook op zaterdag open.\n", encoding="utf-8")
    rebuild(site)
    assert len(pelican_runs) == 2
    assert not list((site["cache"]).rglob("host/*.pickle"))
