"""Search benchmark: quality on the sample content, budgets on generated content.

    .venv/bin/python benchmarks/search.py [--sizes 1000 5000] [--runs 5] [--no-pagefind]

Prints recall@5 and MRR over ``tests/search_quality/queries.yaml`` (Python side), then for
each size N: the build time of the search files, gzipped bytes of ``index.json`` +
``documents.json`` (total and per entry; ``taxonomy.json`` is listed apart), and p50/p95
query latency measured in Chromium with ``search.js``. In the same run, Pagefind over a
simple HTML site of the same entries: build time, bundle size, the bytes one search
fetches, and p50/p95 latency of ``pagefind.search`` plus loading the top 5 results.
Targets at 5,000 entries: payload <= 400 KB gzipped, p95 <= 20 ms, build <= 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from benchmarks.generate import write_entries  # noqa: E402
from testkit.browser import CHROMIUM_ARGS, chromium_path  # noqa: E402
from testkit.serving import serve_directory  # noqa: E402
from wijknet.project import Project  # noqa: E402
from wijknet.dutch.analysis import DutchAnalysis, find_node_modules  # noqa: E402
from wijknet.search.provider import search_files  # noqa: E402
from wijknet.search.quality import evaluate, load_queries  # noqa: E402
from wijknet.search.query import Searcher  # noqa: E402
from wijknet.engine.model import BuildContext  # noqa: E402
from wijknet.engine.urls import Urls  # noqa: E402

BUILD_DATE = dt.date(2026, 11, 23)
QUERIES = REPO / "tests" / "search_quality" / "queries.yaml"
VENDOR = ("lunr/lunr.js", "lunr-languages/lunr.stemmer.support.js", "lunr-languages/lunr.nl.js")
# Extra latency queries: short prefixes while typing are the slowest lunr queries.
TYPING = ["ou", "oud", "ouderen", "ta", "taalc", "buurtk", "hulp b", "nieuw-w", "schuldhulpp", "wandelen dementie oost"]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def quality(analysis: DutchAnalysis) -> None:
    catalog = Project.at(REPO).load(BUILD_DATE).catalog
    files = search_files(BuildContext(catalog, Urls(catalog.settings.site_url)), analysis)
    searcher = Searcher(json.loads(files["search/index.json"]), json.loads(files["search/taxonomy.json"]), analysis)
    report = evaluate(searcher, json.loads(files["search/documents.json"]), load_queries(QUERIES))
    print(f"Quality ({len(report.outcomes)} queries, {len(catalog.listed)} listed sample entries, date {BUILD_DATE}):")
    print(f"  recall@5 {report.recall:.3f}   MRR {report.mrr:.3f}")
    for miss in report.misses():
        print(f"  miss: {miss.query!r} expected {list(miss.expected)} top5 {list(miss.top)}")
    sizes = {path: (len(data), gz(data)) for path, data in files.items()}
    print("  sample payload: " + ", ".join(f"{p} {raw / 1024:.0f} KB raw / {z / 1024:.0f} KB gz" for p, (raw, z) in sizes.items()))


def latency_lunr(browser, folder: Path, queries: list[str], runs: int) -> tuple[float, float, float]:
    url, stop = serve_directory(folder)
    page = browser.new_page()
    try:
        page.goto(f"{url}/bench.html")
        load_ms = page.evaluate(
            """async () => {
                const t0 = performance.now();
                const [index, taxonomy] = await Promise.all(
                    ["search/index.json", "search/taxonomy.json"].map(u => fetch(u).then(r => r.json())));
                window.S = wijknetSearch.createSearcher(index, taxonomy);
                return performance.now() - t0; }"""
        )
        times = page.evaluate(
            """([queries, runs]) => { const out = [];
                for (const q of queries) S.search(q, true);  // warm up (JIT, stem cache)
                for (let r = 0; r < runs; r++) for (const q of queries) {
                    const t0 = performance.now(); S.search(q, true); out.push(performance.now() - t0); }
                return out; }""",
            [queries, runs],
        )
    finally:
        page.close()
        stop()
    return percentile(times, 0.5), percentile(times, 0.95), load_ms


def pagefind_site(catalog, folder: Path) -> None:
    """A plain HTML page per listed entry: what Pagefind would index on the real site."""
    taxonomy = catalog.taxonomy
    for entry in catalog.listed:
        labels = [taxonomy.kinds.label(entry.kind)]
        labels += [taxonomy.themes.label(t) for t in entry.themes] + [taxonomy.audiences.label(a) for a in entry.audiences]
        areas = [taxonomy.areas.label(a) for a in catalog.area_closure(entry)]
        place = " ".join(filter(None, [entry.organisation, entry.location.name if entry.location else None]))
        page = folder / "initiatieven" / entry.slug / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{html.escape(entry.title)}</title></head>"
            f"<body><main data-pagefind-body><h1>{html.escape(entry.title)}</h1><p>{html.escape(entry.summary)}</p>"
            f"<p>{html.escape(', '.join(labels))}</p><p>{html.escape(', '.join(areas))}</p><p>{html.escape(place)}</p>"
            f"<div>{html.escape(entry.description)}</div></main></body></html>",
            encoding="utf-8",
        )
    (folder / "bench.html").write_text("<!doctype html><html lang='nl'><head><meta charset='utf-8'></head><body></body></html>")


def pagefind(browser, catalog, folder: Path, queries: list[str], runs: int) -> dict:
    pagefind_site(catalog, folder)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder)], check=True, capture_output=True)
    build_s = time.perf_counter() - started
    bundle = folder / "pagefind"
    total = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file())
    url, stop = serve_directory(folder)
    page = browser.new_page()
    fetched: list[int] = []
    page.on("response", lambda response: fetched.append(int(response.headers.get("content-length", "0"))) if "/pagefind/" in response.url else None)
    try:
        page.goto(f"{url}/bench.html")
        page.evaluate(
            """async () => { window.pf = await import('/pagefind/pagefind.js'); await pf.options({}); await pf.init(); }"""
        )
        first = page.evaluate(
            """async q => { const r = await pf.search(q); await Promise.all(r.results.slice(0, 5).map(x => x.data())); return r.results.length; }""",
            queries[0],
        )
        one_search_bytes = sum(fetched)
        for q in queries:  # warm: every chunk fetched once, as a long session would have it
            page.evaluate("async q => { const r = await pf.search(q); await Promise.all(r.results.slice(0, 5).map(x => x.data())); }", q)
        times = page.evaluate(
            """async ([queries, runs]) => { const out = [];
                for (let r = 0; r < runs; r++) for (const q of queries) {
                    const t0 = performance.now(); const res = await pf.search(q);
                    await Promise.all(res.results.slice(0, 5).map(x => x.data())); out.push(performance.now() - t0); }
                return out; }""",
            [queries, runs],
        )
        session_bytes = sum(fetched)
    finally:
        page.close()
        stop()
    return {
        "build_s": build_s, "bundle": total, "first_query_bytes": one_search_bytes, "session_bytes": session_bytes,
        "p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "first_results": first,
    }  # fmt: skip


def budgets(size: int, analysis: DutchAnalysis, browser, queries: list[str], runs: int, with_pagefind: bool, work: Path) -> dict:
    content = work / f"content-{size}"
    write_entries(size, content, seed=size, today=BUILD_DATE)
    catalog = Project.at(REPO, content=content).load(BUILD_DATE).catalog
    build = BuildContext(catalog, Urls(catalog.settings.site_url))
    started = time.perf_counter()
    files = search_files(build, analysis)
    build_s = time.perf_counter() - started
    index_gz, documents_gz, taxonomy_gz = (gz(files[f"search/{name}.json"]) for name in ("index", "documents", "taxonomy"))
    site = work / f"lunr-{size}"
    node_modules = find_node_modules(REPO)
    for name in VENDOR:
        (site / "vendor" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / name, site / "vendor" / name)
    shutil.copyfile(REPO / "theme/static/js/search.js", site / "search.js")
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    (site / "bench.html").write_text(
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'>"
        + "".join(f"<script src='vendor/{name}'></script>" for name in VENDOR)
        + "<script src='search.js'></script></head><body></body></html>",
        encoding="utf-8",
    )
    p50, p95, load_ms = latency_lunr(browser, site, queries, runs)
    row = {
        "size": len(catalog.listed), "build_s": build_s, "index_gz": index_gz, "documents_gz": documents_gz,
        "taxonomy_gz": taxonomy_gz, "p50": p50, "p95": p95, "load_ms": load_ms,
    }  # fmt: skip
    if with_pagefind:
        row["pagefind"] = pagefind(browser, catalog, work / f"pagefind-{size}", queries, runs)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pagefind", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    args = parser.parse_args(argv)
    analysis = DutchAnalysis.from_node_modules()
    quality(analysis)
    queries = [item["query"] for item in load_queries(QUERIES)] + TYPING
    from playwright.sync_api import sync_playwright

    work = args.keep or Path(tempfile.mkdtemp(prefix="wijknet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for size in args.sizes:
            rows.append(budgets(size, analysis, browser, queries, args.runs, not args.no_pagefind, work))
        browser.close()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nBudgets ({len(queries)} queries x {args.runs} runs in Chromium; targets at 5,000: payload <= 400 KB gz, p95 <= 20 ms, build <= 10 s)")
    print("| engine | entries | build | payload gz (total) | per entry | p50 | p95 | notes |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        payload = row["index_gz"] + row["documents_gz"]
        print(
            f"| lunr (ours) | {row['size']} | {row['build_s']:.1f} s | {payload / 1024:.0f} KB "
            f"(index {row['index_gz'] / 1024:.0f} + documents {row['documents_gz'] / 1024:.0f}) | {payload / row['size']:.0f} B "
            f"| {row['p50']:.1f} ms | {row['p95']:.1f} ms | + taxonomy.json {row['taxonomy_gz'] / 1024:.0f} KB; load+parse {row['load_ms']:.0f} ms |"
        )
        if "pagefind" in row:
            pf = row["pagefind"]
            print(
                f"| Pagefind | {row['size']} | {pf['build_s']:.1f} s | {pf['bundle'] / 1024:.0f} KB bundle; first search fetches "
                f"{pf['first_query_bytes'] / 1024:.0f} KB | {pf['bundle'] / row['size']:.0f} B | {pf['p50']:.1f} ms | {pf['p95']:.1f} ms "
                f"| all queries fetched {pf['session_bytes'] / 1024:.0f} KB; latency incl. top-5 fragments |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
