"""Search benchmark: quality on the sample content, budgets on generated sites.

    .venv/bin/python benchmarks/search.py [--sizes 1000 5000 50000] [--runs 5] [--no-pagefind] [--keep DIR]

Prints recall@5 and MRR over ``tests/search_quality/queries.yaml`` (Python side). Then for
each size N it generates N entries (``benchmarks/generate.py``), builds the whole site with
``wijknet build``, runs Pagefind (npm ``pagefind``, pinned in ``package.json``) over the
entry pages of that same output, serves the output gzip-compressed (as a production web
server would) and measures three ways to search it, side by side:

- **sharded** (ours): the real ``zoeken`` page and ``search.js`` on the term shards;
- **monolithic** (ours before): the same code on the complete ``index.json``,
  ``documents.json`` and ``taxonomy.json``, loaded on the first search;
- **Pagefind**: ``pagefind.js``, initialised when the box gets focus, the data of the
  results shown loaded after each search.

Per way: the bytes the first query fetches (gzip, code included: the search scripts and
every file of the index and results), the time from the keystroke to the first result card
in Chromium (the query arrives as one input event, as a paste or a phone's word suggestion
gives it, so the figure does not depend on how fast the test can type) with the network
throttled by CDP ``Network.emulateNetworkConditions`` (150 ms latency, 1.6 Mbit/s down),
for three first queries each in a fresh page; the p50 and p95 of a follow-up query once
what it needs is cached; the time to build the index; the bytes on disk. Every way
debounces typing by the same 150 ms. Also, from the Python reader, the first-query bytes of
every quality query (median, 90th percentile, largest).

The first queries are timed twice. As a **first visit**: a fresh browser context (its cache
empty) and a server that sends the caching headers of ``wijknet serve`` and
``docs/deploy.md`` (a year for content-hashed names), so a file asked for twice in the
visit, such as ``search.js`` by the page and then by its search worker, comes the second
time from the cache. And with the **cache off** (CDP ``Network.setCacheDisabled``): every
request goes to the network, which no visitor's browser does; earlier runs used only this.

Budgets (issue #13): first query <= 120 KB gz at 5,000 entries and <= 200 KB at 50,000;
first results <= 1.0 s at 5,000 and no slower than Pagefind at 50,000; follow-up p95 <= 20 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
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

from benchmarks.environment import build_environment, compile_checkout  # noqa: E402
from benchmarks.generate import write_entries  # noqa: E402
from testkit.browser import CHROMIUM_ARGS, chromium_path  # noqa: E402
from testkit.serving import serve_directory  # noqa: E402
from wijknet.build import SEARCH_BUNDLE  # noqa: E402
from wijknet.dutch.analysis import DutchAnalysis  # noqa: E402
from wijknet.engine.model import BuildContext  # noqa: E402
from wijknet.engine.urls import Urls  # noqa: E402
from wijknet.project import Project  # noqa: E402
from wijknet.search.provider import search_files  # noqa: E402
from wijknet.search.quality import evaluate, load_queries  # noqa: E402
from wijknet.search.query import Searcher  # noqa: E402
from wijknet.search.shard_reader import ShardedIndex, ShardedSearcher  # noqa: E402

BUILD_DATE = dt.date(2026, 11, 23)
QUERIES = REPO / "tests" / "search_quality" / "queries.yaml"
FIRST_QUERIES = ["taalcafe", "hulp bij schulden", "eenzame ouderen nieuw-west"]
# Extra follow-up queries: short prefixes while typing are the slowest lunr queries.
TYPING = ["ou", "oud", "ouderen", "ta", "taalc", "buurtk", "hulp b", "nieuw-w", "schuldhulpp", "wandelen dementie oost"]
# The libraries the search loads (the zoeken page's data-libraries): lunr, its stemmer
# support and the Dutch stemmer as one file (VENDOR_FILES also holds the map page's Leaflet,
# which no search fetches).
SEARCH_LIBRARIES = (SEARCH_BUNDLE,)
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
PAGE_SIZE = 20
DEBOUNCE_MS = 150

# A bench page for the monolithic index and one for Pagefind: a search box, the same
# debounce, the first result card timed (performance.now() at the first keydown and when
# the first result is there).
BENCH_HEAD = "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>bench</title>"
BENCH_BODY = """<body><input id='q' type='search'><ol id='out'></ol><script>
window.bench = {keydown: null, first: null, all: null};
document.getElementById('q').addEventListener('input', () => { if (bench.keydown === null) bench.keydown = performance.now(); });
let timer = null;
document.getElementById('q').addEventListener('input', e => { clearTimeout(timer); timer = setTimeout(() => run(e.target.value), %d); });
function shown(doc, i) { const li = document.createElement('li'); li.textContent = doc.title; document.getElementById('out').appendChild(li);
  if (bench.first === null) bench.first = performance.now(); }
%s
</script></body></html>"""
MONOLITHIC = """
let loading = null;
function load() { return loading || (loading = Promise.all(['search/index.json', 'search/taxonomy.json', 'search/documents.json']
  .map(u => fetch(u).then(r => r.json()))).then(([index, taxonomy, documents]) => ({S: wijknetSearch.createSearcher(index, taxonomy), documents}))); }
async function run(q) { const {S, documents} = await load(); const hits = S.search(q, true).hits.slice(0, %d);
  hits.forEach((h, i) => shown(documents[h.ref], i)); bench.all = performance.now(); }
""" % PAGE_SIZE
PAGEFIND = """
let pf = null;
document.getElementById('q').addEventListener('focus', async () => { if (!pf) { pf = await import('/pagefind/pagefind.js'); await pf.init(); } });
async function run(q) { while (!pf) await new Promise(r => setTimeout(r, 10)); const r = await pf.search(q);
  const data = r.results.slice(0, %d).map(x => x.data());
  for (let i = 0; i < data.length; i++) shown({title: (await data[i]).meta.title}, i); bench.all = performance.now(); }
""" % PAGE_SIZE


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


def wire_size(path: Path) -> int:
    """What a file costs on the wire: gzip-compressed text, or as it is (Pagefind's own files
    are compressed already)."""
    data = path.read_bytes()
    return gz(data) if path.suffix in (".js", ".json", ".html", ".css") else len(data)


def first_query_bytes_python(output: Path, analysis: DutchAnalysis, queries: list[str], code_bytes: int) -> list[float]:
    """Per query, in a fresh reader: code + manifest + taxonomy + shards + the fragments of
    the first page of results (KB gz), counted by the Python reader of the same files."""
    search = output / "search"
    sizes: dict[str, int] = {}

    def size(name: str) -> int:
        if name not in sizes:
            sizes[name] = gz((search / name).read_bytes())
        return sizes[name]

    taxonomy = json.loads((search / "taxonomy.json").read_text(encoding="utf-8"))
    result = []
    for query in queries:
        sharded = ShardedIndex(lambda name: (search / name).read_bytes())
        hits = ShardedSearcher(sharded, taxonomy, analysis).search(query).hits
        for hit in hits[:PAGE_SIZE]:
            sharded.fragment(int(hit.ref, 36))
        result.append((code_bytes + sum(size(name) for name in set(sharded.fetched) | {"taxonomy.json"})) / 1024)
    return result


def measure_first(browser, url: str, path: str, query: str, output: Path, prefix: str, cache_off: bool = False) -> dict:
    """Open ``path`` throttled in a fresh context (its cache empty; with ``cache_off`` no
    cache at all), focus the box, type ``query``: bytes of the search's files (gz) and the
    time from the first keystroke to the first result."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": cache_off})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + path)
    page.wait_for_load_state("load")
    box = "#zoekterm" if path.startswith("/zoeken/") else "#q"
    if box == "#zoekterm":
        page.evaluate(
            """() => { window.bench = {keydown: null, first: null};
                document.getElementById('zoekterm').addEventListener('input', () => { if (bench.keydown === null) bench.keydown = performance.now(); });
                new MutationObserver(() => { if (bench.first === null && document.querySelector('#zoek-resultaten > li')) bench.first = performance.now(); })
                    .observe(document.getElementById('zoek-resultaten'), {childList: true}); }"""
        )
    page.focus(box)
    page.keyboard.insert_text(query)  # one input, as a paste or a phone's word suggestion gives
    deadline = time.monotonic() + 120
    while page.evaluate("bench.first") is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"no results for {query!r} on {path}")
        page.wait_for_timeout(20)
    timing = page.evaluate("bench.first - bench.keydown")
    page.wait_for_timeout(3000 if "pagefind" in path else 1500)  # let the other cards of the page arrive
    context.close()
    counted = 0
    for request in sorted(set(requested)):
        local = request[len(url) :].split("?")[0]
        if local.startswith(prefix) or local.endswith(".js"):
            counted += wire_size(output / local.lstrip("/"))
    return {"ms": timing, "kb": counted / 1024}


def follow_up(browser, url: str, engine: str, queries: list[str], runs: int) -> tuple[float, float]:
    """p50 and p95 (ms) of a query once what it needs is cached."""
    page = browser.new_page()
    try:
        if engine == "sharded":
            page.goto(url + "/zoeken/")
            # the page searches in a worker; here the same searcher runs in the page, on the
            # libraries the page names for it, so the figure is the search alone
            setup = (
                "for (const src of document.getElementById('zoekformulier').dataset.libraries.split(' ').filter(Boolean))"
                " await new Promise((resolve, reject) => { const s = document.createElement('script'); s.src = src;"
                " s.onload = resolve; s.onerror = reject; document.head.appendChild(s); });"
                " window.T = wijknetSearch.createShardedSearcher(location.origin + '/search/manifest.json'); await T.load();"
            )
            call = "await T.search(q, true)"
        elif engine == "monolithic":
            page.goto(url + "/bench-monolithic.html")
            setup = "window.T = (await load()).S;"
            call = "T.search(q, true)"
        else:
            page.goto(url + "/bench-pagefind.html")
            setup = "window.T = await import('/pagefind/pagefind.js'); await T.init();"
            call = "await Promise.all((await T.search(q)).results.slice(0, 5).map(x => x.data()))"
        times = page.evaluate(
            f"""async ([queries, runs]) => {{ {setup}
                for (const q of queries) {{ {call}; }}
                for (const q of queries) {{ {call}; }}
                const out = [];
                for (let r = 0; r < runs; r++) for (const q of queries) {{
                    const t0 = performance.now(); {call}; out.push(performance.now() - t0); }}
                return out; }}""",
            [queries, runs],
        )
    finally:
        page.close()
    return percentile(times, 0.5), percentile(times, 0.95)


def folder_bytes(paths) -> tuple[int, int]:
    raw = packed = 0
    for path in paths:
        raw += path.stat().st_size
        packed += wire_size(path)
    return raw, packed


def run_size(size: int, analysis, browser, queries: list[str], runs: int, with_pagefind: bool, work: Path) -> dict:
    content = work / f"content-{size}"
    if not content.exists():
        write_entries(size, content, seed=size, today=BUILD_DATE)
    output = work / f"site-{size}"
    env = build_environment(work / f"cache-{size}")
    started = time.perf_counter()
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "wijknet"), "build", "--root", str(REPO), "--content", str(content),
         "--output", str(output), "--date", BUILD_DATE.isoformat()],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    site_s = time.perf_counter() - started
    catalog = Project.at(REPO, content=content).load(BUILD_DATE).catalog
    started = time.perf_counter()
    search_files(BuildContext(catalog, Urls(catalog.settings.site_url)), analysis)
    index_s = time.perf_counter() - started
    row: dict = {"size": len(catalog.listed), "site_s": site_s, "index_s": index_s}
    search = output / "search"
    sharded_files = [p for p in search.rglob("*") if p.is_file() and p.name not in ("index.json", "documents.json")]
    row["sharded_disk"] = folder_bytes(sharded_files) + (len(sharded_files),)
    row["mono_disk"] = folder_bytes([search / "index.json", search / "documents.json", search / "taxonomy.json"]) + (3,)
    code = [output / "static" / "vendor" / name for name in SEARCH_LIBRARIES] + [output / "static" / "js" / "search.js"]
    code_bytes = sum(wire_size(path) for path in code)
    row["python_first_kb"] = first_query_bytes_python(output, analysis, queries, code_bytes)

    scripts = "".join(f"<script src='/static/vendor/{name}'></script>" for name in SEARCH_LIBRARIES) + "<script src='/static/js/search.js'></script>"
    (output / "bench-monolithic.html").write_text(BENCH_HEAD + scripts + "</head>" + BENCH_BODY % (DEBOUNCE_MS, MONOLITHIC), encoding="utf-8")
    engines = ["sharded", "monolithic"]
    if with_pagefind:
        started = time.perf_counter()
        subprocess.run(
            [str(REPO / "node_modules" / ".bin" / "pagefind"), "--site", str(output), "--glob", "initiatieven/*/index.html"],
            check=True, capture_output=True,
        )
        row["pagefind_s"] = time.perf_counter() - started
        bundle = [p for p in (output / "pagefind").rglob("*") if p.is_file()]
        row["pagefind_disk"] = folder_bytes(bundle) + (len(bundle),)
        (output / "bench-pagefind.html").write_text(BENCH_HEAD + "</head>" + BENCH_BODY % (DEBOUNCE_MS, PAGEFIND), encoding="utf-8")
        engines.append("pagefind")
    url, stop = serve_directory(output, compress=True)
    try:
        for engine in engines:
            path, prefix = {
                "sharded": ("/zoeken/", "/search/"),
                "monolithic": ("/bench-monolithic.html", "/search/"),
                "pagefind": ("/bench-pagefind.html", "/pagefind/"),
            }[engine]
            row[engine] = {
                "first": [measure_first(browser, url, path, q, output, prefix) for q in FIRST_QUERIES],
                "first_cache_off": [measure_first(browser, url, path, q, output, prefix, cache_off=True) for q in FIRST_QUERIES],
            }
            row[engine]["p50"], row[engine]["p95"] = follow_up(browser, url, engine, queries, runs)
    finally:
        stop()
    return row


def table(rows: list[dict]) -> str:
    lines = [
        f"First queries {FIRST_QUERIES}, each in a fresh page: 150 ms latency, 1.6 Mbit/s down; as a first visit (empty cache), "
        "and in brackets with the cache off; "
        f"bytes are gzip sizes of the scripts and search files fetched. Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| entries | engine | first query fetches (gz) | keystroke → first result | follow-up p50 / p95 | index build | on disk (raw / gz, files) |",
        "|---:|---|---|---|---|---|---|",
    ]
    for row in rows:
        for engine in ("sharded", "monolithic", "pagefind"):
            if engine not in row:
                continue
            figures = row[engine]
            kb = " / ".join(f"{f['kb']:.0f}" for f in figures["first"])
            ms = " / ".join(f"{f['ms']:.0f}" for f in figures["first"]) + " ms"
            ms += " (" + " / ".join(f"{f['ms']:.0f}" for f in figures["first_cache_off"]) + " ms)"
            if engine == "sharded":
                py = row["python_first_kb"]
                kb += f" KB (all {len(py)} quality queries: median {statistics.median(py):.0f}, p90 {percentile(py, 0.9):.0f}, max {max(py):.0f} KB)"
                build = f"{row['index_s']:.1f} s (complete + shards; whole site {row['site_s']:.0f} s)"
                disk = row["sharded_disk"]
            elif engine == "monolithic":
                kb += " KB"
                build = f"{row['index_s']:.1f} s (same step)"
                disk = row["mono_disk"]
            else:
                kb += " KB"
                build = f"{row['pagefind_s']:.1f} s"
                disk = row["pagefind_disk"]
            lines.append(
                f"| {row['size']:,} | {engine} | {kb} | {ms} | {figures['p50']:.1f} / {figures['p95']:.1f} ms | {build} "
                f"| {disk[0] / 1e6:.1f} / {disk[1] / 1e6:.1f} MB, {disk[2]:,} files |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pagefind", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder (and reuse generated content)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    analysis = DutchAnalysis.from_node_modules()
    quality(analysis)
    queries = [item["query"] for item in load_queries(QUERIES)] + TYPING
    from playwright.sync_api import sync_playwright

    compile_checkout(REPO)
    work = args.keep or Path(tempfile.mkdtemp(prefix="wijknet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for size in args.sizes:
            rows.append(run_size(size, analysis, browser, queries, args.runs, not args.no_pagefind, work))
            print(table(rows[-1:]), flush=True)
        browser.close()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
