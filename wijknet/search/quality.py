"""Measure search quality over a set of queries with expected entries (recall@k, MRR)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wijknet.search.query import Searcher


@dataclass(frozen=True)
class QueryOutcome:
    query: str
    expected: tuple[str, ...]
    top: tuple[str, ...]  # slugs of the first k results

    @property
    def found(self) -> int:
        return sum(1 for slug in self.expected if slug in self.top)

    @property
    def reciprocal_rank(self) -> float:
        for rank, slug in enumerate(self.top, start=1):
            if slug in self.expected:
                return 1.0 / rank
        return 0.0


@dataclass(frozen=True)
class QualityReport:
    outcomes: tuple[QueryOutcome, ...]

    @property
    def recall(self) -> float:
        """Share of all expected slugs found in their query's top k."""
        expected = sum(len(o.expected) for o in self.outcomes)
        return sum(o.found for o in self.outcomes) / expected if expected else 0.0

    @property
    def mrr(self) -> float:
        return sum(o.reciprocal_rank for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def misses(self) -> list[QueryOutcome]:
        return [o for o in self.outcomes if o.found < len(o.expected)]


def load_queries(path: Path) -> list[dict[str, Any]]:
    """The quality set: a YAML list of ``{query, expect: [slug, ...]}``."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [{"query": str(item["query"]), "expect": [str(s) for s in item["expect"]]} for item in data]


def evaluate(searcher: Searcher, documents: dict[str, dict], queries: list[dict[str, Any]], k: int = 5) -> QualityReport:
    """Run every query (as submitted: the last word also as a prefix) and score the top k."""
    outcomes = []
    for item in queries:
        result = searcher.search(item["query"])
        top = tuple(documents[hit.ref]["slug"] for hit in result.hits[:k])
        outcomes.append(QueryOutcome(item["query"], tuple(item["expect"]), top))
    return QualityReport(tuple(outcomes))
