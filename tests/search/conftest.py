"""Fixtures for search tests: the search files of the sample content, and a page in real
Chromium with lunr.js, lunr.nl.js, search.js and the same index loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from testkit import TEST_DATE
from testkit.serving import serve_directory

from wijknet.project import Project
from wijknet.dutch.analysis import DutchAnalysis, find_node_modules
from wijknet.search.provider import search_files
from wijknet.search.query import Searcher
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls

BUILD_DATE = TEST_DATE
VENDOR = ("lunr/lunr.js", "lunr-languages/lunr.stemmer.support.js", "lunr-languages/lunr.nl.js")
PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>parity</title>
<script src="vendor/lunr/lunr.js"></script>
<script src="vendor/lunr-languages/lunr.stemmer.support.js"></script>
<script src="vendor/lunr-languages/lunr.nl.js"></script>
<script src="search.js"></script></head><body></body></html>"""


@pytest.fixture(scope="session")
def analysis() -> DutchAnalysis:
    return DutchAnalysis.from_node_modules()


@pytest.fixture(scope="session")
def sample_build(repo_root: Path):
    result = Project.at(repo_root).load(BUILD_DATE)
    assert result.catalog is not None, [p.as_dict("en") for p in result.problems[:5]]
    return BuildContext(result.catalog, Urls(result.catalog.settings.site_url))


@pytest.fixture(scope="session")
def sample_files(sample_build, analysis) -> dict[str, bytes]:
    return search_files(sample_build, analysis)


@pytest.fixture(scope="session")
def sample_searcher(sample_files, analysis) -> Searcher:
    return Searcher(
        json.loads(sample_files["search/index.json"]), json.loads(sample_files["search/taxonomy.json"]), analysis
    )


@pytest.fixture(scope="session")
def search_page(browser, sample_files, repo_root, tmp_path_factory):
    """A blank page with the browser search code and the sample index loaded as ``window.S``."""
    root = tmp_path_factory.mktemp("search-page")
    node_modules = find_node_modules(repo_root)
    for name in VENDOR:
        target = root / "vendor" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / name, target)
    shutil.copyfile(repo_root / "theme/static/js/search.js", root / "search.js")
    for path, content in sample_files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    url, stop = serve_directory(root)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/index.html")
    page.evaluate(
        """async () => {
            const [index, taxonomy] = await Promise.all(
                ["search/index.json", "search/taxonomy.json"].map(u => fetch(u).then(r => r.json())));
            window.S = wijknetSearch.createSearcher(index, taxonomy);
        }"""
    )
    yield page, errors
    page.close()
    stop()


@pytest.fixture(scope="session")
def built_site(repo_root, tmp_path_factory):
    """The small Amsterdam fixture site, built for real (validation + Pelican), served."""
    from wijknet.build import build_site

    fixture = repo_root / "tests" / "fixtures" / "amsterdam"
    project = Project.at(fixture, taxonomy=repo_root / "taxonomy", settings=fixture / "site.yaml")
    output = tmp_path_factory.mktemp("search-site") / "output"
    build_site(project, output, BUILD_DATE)
    url, stop = serve_directory(output)
    yield output, url
    stop()
