"""Matching quality and speed.

    python benchmarks/matching.py [--entries 5000] [--seed 1] [--repeat 3]

Prints:

- recall@5 on ``tests/matching/expectations.yaml`` (the sample content plus the fixture
  questions in ``tests/matching/questions/``; target at least 0.85), per question too;
- the time to match every open question against ``--entries`` generated entries (made by
  ``benchmarks/generate.py``), split into building the index, ranking, and the outputs
  (``vragen`` page context, ``data/matches.json``, feeds, the sections of every entry page);
  target under 1 s in total. The best of ``--repeat`` runs is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for path in (REPO, REPO / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from wijknet.content.catalog import Catalog, load_catalog  # noqa: E402
from wijknet.matching import pages, sections  # noqa: E402
from wijknet.matching.core import MatchIndex, match_catalog, open_questions  # noqa: E402
from wijknet.matching.quality import load_expectations, recall_at_k, recall_per_question  # noqa: E402
from wijknet.matching.text import dutch_analyzer  # noqa: E402
from wijknet.project import Project  # noqa: E402
from wijknet.engine.model import BuildContext  # noqa: E402
from wijknet.engine.urls import Urls  # noqa: E402

EXPECTATIONS = REPO / "tests" / "matching" / "expectations.yaml"
FIXTURE_QUESTIONS = REPO / "tests" / "matching" / "questions"
RECALL_TARGET = 0.85
SECONDS_TARGET = 1.0


def merged_catalog(project: Project, folders: list[Path], today: dt.date) -> Catalog:
    """One catalog from several entry folders; stops on any invalid entry."""
    taxonomy, settings = project.load_taxonomy(), project.load_settings()
    entries = []
    for folder in folders:
        result = load_catalog(folder, taxonomy, settings, today)
        if result.problems:
            raise SystemExit(f"{folder}: {len(result.problems)} problem(s), first: {result.problems[0].message('en')}")
        entries.extend(result.catalog.entries)
    return Catalog(entries=tuple(entries), taxonomy=taxonomy, settings=settings, today=today)


def quality(project: Project) -> float:
    expectations = load_expectations(EXPECTATIONS)
    catalog = merged_catalog(project, [project.content, FIXTURE_QUESTIONS], expectations.today)
    matches = match_catalog(catalog)
    per_question = recall_per_question(matches, expectations)
    recall = recall_at_k(matches, expectations)
    print(f"Quality: {len(expectations.questions)} questions, {len(catalog.entries)} entries")
    for slug, value in per_question.items():
        missing = [s for s in expectations.questions[slug] if s not in {m.entry for m in matches.for_question(slug)}]
        note = f"  missing: {', '.join(missing)}" if missing else ""
        print(f"  {value:4.2f}  {slug}{note}")
    print(f"recall@5: {recall:.3f} (target >= {RECALL_TARGET})")
    return recall


def speed(project: Project, count: int, seed: int, repeat: int) -> float:
    from generate import DEFAULT_TODAY, write_entries

    taxonomy = project.load_taxonomy()
    with tempfile.TemporaryDirectory() as folder:
        write_entries(count, Path(folder), seed, taxonomy, DEFAULT_TODAY)
        catalog = merged_catalog(project, [Path(folder) / "initiatieven"], DEFAULT_TODAY)
    analyzer = dutch_analyzer()  # reading lunr-languages once is not matching work
    questions = open_questions(catalog)
    best: dict[str, float] = {}
    for _ in range(repeat):
        fresh = Catalog(catalog.entries, catalog.taxonomy, catalog.settings, catalog.today)
        clocks = [(time.perf_counter(), time.process_time())]
        index = MatchIndex(fresh, analyzer)
        clocks.append((time.perf_counter(), time.process_time()))
        for question in questions:
            index.rank(question)
        clocks.append((time.perf_counter(), time.process_time()))
        # what a build does: match once, then the outputs and every entry page's sections
        build = BuildContext(catalog=fresh, urls=Urls(fresh.settings.site_url))
        pages.build_matches(build)
        clocks.append((time.perf_counter(), time.process_time()))
        list(pages.provide(build))
        for entry in fresh.entries:
            sections.entry_sections(build, entry)
        clocks.append((time.perf_counter(), time.process_time()))
        for name, (start, end) in zip(("index", "rank", "match", "outputs"), zip(clocks, clocks[1:])):
            for clock, label in ((0, "wall"), (1, "cpu")):
                key = f"{name}.{label}"
                best[key] = min(best.get(key, float("inf")), end[clock] - start[clock])
    total = best["match.wall"] + best["outputs.wall"]
    print(
        f"\nSpeed: {len(catalog.entries)} generated entries, {len(questions)} open questions, "
        f"{len(index.candidates)} candidates (best of {repeat}; wall clock, CPU time in brackets)"
    )
    for name, text in (
        ("index", "building the index"),
        ("rank", "ranking all questions"),
        ("match", "match_catalog (index + ranking + explanations)"),
        ("outputs", "outputs (page, matches.json, feeds, entry sections)"),
    ):
        print(f"  {text}: {best[name + '.wall']:.3f} s ({best[name + '.cpu']:.3f} s)")
    cpu = best["match.cpu"] + best["outputs.cpu"]
    print(f"added to the build: {total:.3f} s ({cpu:.3f} s CPU) (target < {SECONDS_TARGET} s)")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Matching: recall@5 and speed.")
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    project = Project.at(REPO)
    recall = quality(project)
    seconds = speed(project, args.entries, args.seed, args.repeat)
    return 0 if recall >= RECALL_TARGET and seconds < SECONDS_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
