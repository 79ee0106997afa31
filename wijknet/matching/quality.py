"""Measuring the ranking against what professionals expect (tests and benchmarks use this)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from wijknet.matching.core import SHOWN_MATCHES, Matches


@dataclass(frozen=True)
class Expectations:
    """Per question slug, the entries expected in its top matches, on the date ``today``."""

    today: dt.date
    questions: Mapping[str, tuple[str, ...]]


def load_expectations(path: Path) -> Expectations:
    """Read an expectations file: ``today`` and ``questions: {slug: [expected slugs]}``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    today = data["today"]
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return Expectations(today, {slug: tuple(expected) for slug, expected in sorted(data["questions"].items())})


def recall_per_question(matches: Matches, expectations: Expectations, k: int = SHOWN_MATCHES) -> dict[str, float]:
    """For each question, the share of its expected entries found in its top ``k``."""
    result = {}
    for slug, expected in expectations.questions.items():
        top = {match.entry for match in matches.for_question(slug, k)}
        result[slug] = sum(1 for item in expected if item in top) / len(expected) if expected else 1.0
    return result


def recall_at_k(matches: Matches, expectations: Expectations, k: int = SHOWN_MATCHES) -> float:
    """Mean recall@k over the questions of ``expectations``."""
    per_question = recall_per_question(matches, expectations, k)
    return sum(per_question.values()) / len(per_question) if per_question else 0.0
