"""Fixtures for search tests: the search files of the sample content, and a page in real
Chromium with the browser libraries the site ships, search.js, the same complete index
(``window.S``) and the same sharded files (``window.SH``; with tiny shards ``window.TINY``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from testkit import TEST_DATE
from testkit.serving import serve_directory

from wijknet.project import Project
from wijknet.dutch.analysis import DutchAnalysis, find_node_modules
from wijknet.build import VENDOR_FILES
from wijknet.search.provider import search_files
from wijknet.search.shard_reader import ShardedIndex, ShardedSearcher
from wijknet.search.shards import ShardConfig
from wijknet.search.query import Searcher
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls

BUILD_DATE = TEST_DATE
SCRIPTS = tuple(name for name in VENDOR_FILES if name.endswith(".js"))  # the search page's libraries
PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>parity</title>'
    + "".join(f'<script src="vendor/{name}"></script>' for name in SCRIPTS)
    + '<script src="search.js"></script></head><body></body></html>'
)
TINY = ShardConfig(shard_bytes=200, fragment_size=3, fragment_block=4)
"""Shards so small that every common term is split and most prefixes cross a boundary."""


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
def tiny_files(sample_build, analysis) -> dict[str, bytes]:
    return search_files(sample_build, analysis, TINY)


def sharded_searcher(files: dict[str, bytes], analysis) -> ShardedSearcher:
    """The Python reader of the sharded files in ``files`` (fetches counted in ``.sharded.fetched``)."""
    sharded = ShardedIndex(lambda name: files[f"search/{name}"])
    return ShardedSearcher(sharded, json.loads(files["search/taxonomy.json"]), analysis)


@pytest.fixture(scope="session")
def sample_searcher(sample_files, analysis) -> Searcher:
    return Searcher(
        json.loads(sample_files["search/index.json"]), json.loads(sample_files["search/taxonomy.json"]), analysis
    )


@pytest.fixture(scope="session")
def search_page(browser, sample_files, tiny_files, repo_root, tmp_path_factory):
    """A blank page with the browser search code, the sample index loaded as ``window.S``
    and sharded searchers ``window.SH`` (default shards) and ``window.TINY`` (tiny ones)."""
    root = tmp_path_factory.mktemp("search-page")
    node_modules = find_node_modules(repo_root)
    for name in SCRIPTS:
        target = root / "vendor" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / name, target)
    shutil.copyfile(repo_root / "theme/static/js/search.js", root / "search.js")
    for folder, files in ((root, sample_files), (root / "tiny", tiny_files)):
        for path, content in files.items():
            target = folder / path
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
            window.SH = wijknetSearch.createShardedSearcher(location.origin + "/search/manifest.json");
            window.TINY = wijknetSearch.createShardedSearcher(location.origin + "/tiny/search/manifest.json");
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
