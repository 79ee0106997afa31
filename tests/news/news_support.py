"""Fixture sites with news, built the way ``wijknet build`` builds: Pelican hosting the
build in this process (``wijknet_pelican.host.build``). Imported by name (``news_support``)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from testkit import FIXTURES, REPO, TEST_DATE
from testkit.serving import serve

from wijknet.project import Project
from wijknet_pelican.host import build

FIXTURE = FIXTURES / "amsterdam"
NEWS_COUNT = 12  # more than one page of ten


def news_article(number: int, **fields: str) -> str:
    """A news article in Pelican's Markdown format; ``fields`` replace or add header lines."""
    day = dt.date(2026, 1, 1) + dt.timedelta(days=20 * number)
    header = {
        "Title": f"Nieuwsbericht {number:02d} uit de buurt",
        "Date": day.isoformat(),
        "Author": "Netwerkcoördinatie Oost",
        "Summary": f"Korte samenvatting van bericht {number:02d}.",
        **fields,
    }
    lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
    return "\n".join(lines) + f"\n\nDe tekst van bericht {number:02d}, met **nadruk** en een lijst:\n\n- een\n- twee\n"


def make_project(root: Path, articles: dict[str, str]) -> Project:
    """A copy of the Amsterdam fixture with ``articles`` (file name → text) in ``content/nieuws/``."""
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    news = root / "content" / "nieuws"
    news.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (news / name).write_text(text, encoding="utf-8")
    return Project.at(root, taxonomy=REPO / "taxonomy", settings=root / "site.yaml")


def default_articles() -> dict[str, str]:
    articles = {f"bericht-{number:02d}.md": news_article(number) for number in range(1, NEWS_COUNT + 1)}
    articles["concept.md"] = news_article(99, Title="Nog niet af", Status="draft")
    articles["verborgen.md"] = news_article(98, Title="Alleen met de link", Status="hidden")
    return articles


@pytest.fixture(scope="session")
def news_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("nieuws")
    project = make_project(root / "site", default_articles())
    output = root / "output"
    build(project, output, TEST_DATE, cache_dir=root / "cache")
    return {"project": project, "output": output, "root": root}


@pytest.fixture(scope="session")
def news_url(news_site):
    with serve(news_site["output"]) as url:
        yield url
