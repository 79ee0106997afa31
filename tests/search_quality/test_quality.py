"""Search quality on the sample content: recall@5 must stay at or above 0.9."""

from __future__ import annotations

import json
from pathlib import Path

from testkit import TEST_DATE

from wijknet.project import Project
from wijknet.dutch.analysis import DutchAnalysis
from wijknet.search.provider import search_files
from wijknet.search.quality import evaluate, load_queries
from wijknet.search.query import Searcher
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls

BUILD_DATE = TEST_DATE  # the date the quality set was written against
QUERIES = Path(__file__).with_name("queries.yaml")


def test_quality_set_is_big_and_points_at_listed_entries(repo_root):
    queries = load_queries(QUERIES)
    assert len(queries) >= 40
    catalog = Project.at(repo_root).load(BUILD_DATE).catalog
    listed = {entry.slug for entry in catalog.listed}
    unknown = sorted({slug for item in queries for slug in item["expect"] if slug not in listed})
    assert not unknown, f"expected entries that are not listed on {BUILD_DATE}: {unknown}"


def test_recall_at_5_meets_the_target(repo_root):
    catalog = Project.at(repo_root).load(BUILD_DATE).catalog
    analysis = DutchAnalysis.from_node_modules()
    files = search_files(BuildContext(catalog, Urls(catalog.settings.site_url)), analysis)
    documents = json.loads(files["search/documents.json"])
    searcher = Searcher(json.loads(files["search/index.json"]), json.loads(files["search/taxonomy.json"]), analysis)
    report = evaluate(searcher, documents, load_queries(QUERIES))
    misses = "\n".join(f"{o.query!r}: expected {o.expected}, top 5 {o.top}" for o in report.misses())
    assert report.recall >= 0.9, f"recall@5 {report.recall:.3f} < 0.9\n{misses}"
    assert report.mrr >= 0.8, f"MRR {report.mrr:.3f} < 0.8\n{misses}"
