"""Lighthouse and the Nu HTML Checker on every page type, as a phone sees the site (issue 19).

    .venv/bin/python benchmarks/lighthouse.py                         # the sample content (783 entries)
    .venv/bin/python benchmarks/lighthouse.py --entries 783 5000      # and 5,000 generated entries
    .venv/bin/python benchmarks/lighthouse.py --entries 5000 --pages home,overzicht --json out.json

For each size (783 means the repository's own ``content/``; any other N is N entries made by
``benchmarks/generate.py``) the site is built with ``wijknet build`` for ``--date`` (as
``wijknet serve`` builds it: the form posts to its own origin), then served by the app of
``wijknet serve`` (``wijknet.commands.serve.make_app``: the real one, with its headers, the
submission service included) under uvicorn on 127.0.0.1, on a free port.

- Lighthouse (npm ``lighthouse``, pinned in ``package.json``) runs through
  ``benchmarks/lighthouse_runner.mjs``: one headless Chromium (Debian's ``/usr/bin/chromium``,
  or ``$WIJKNET_CHROMIUM``) for every page and size, the default configuration (the mobile
  preset, simulated throttling), categories performance, accessibility, best practices and
  SEO. Each page is loaded cold (Lighthouse clears the origin's cache and storage).
- The Nu HTML Checker (npm ``vnu-jar``; Java) checks the built file of every page type, all
  in one JVM.

The page types: the home page, an entry of each kind (the largest page of that kind), a
facet page (the largest theme page), the overview, search with a query
(``zoeken/?q=schulden``), the agenda, Vragen, Cijfers, the form (``aanmelden``) and the map.

Prints per size a table (page, the four scores, LCP, TBT, CLS, transfer size), the audits
that cost points where a page scores below the target (95 performance, 100 for the others),
the checker's errors and the load average of the machine. ``--json FILE`` writes every
figure; ``--check`` ends with exit code 1 when a page misses a target or has an HTML error.
The test ``tests/perf/test_lighthouse.py`` uses the same functions.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.generate import DEFAULT_TODAY, write_entries  # noqa: E402

WIJKNET = str(REPO / ".venv" / "bin" / "wijknet")
RUNNER = REPO / "benchmarks" / "lighthouse_runner.mjs"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("WIJKNET_CHROMIUM") or "/usr/bin/chromium"
SAMPLE = 783  # the size that means "the repository's own content"

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
"""The lowest score each category may have on any page type (issue 19)."""

KINDS = ("initiatief", "vraag", "activiteit", "voorziening")
SEARCH_QUERY = "schulden"
PAGE_TYPES = ("home", *KINDS, "facet", "overzicht", "zoeken", "agenda", "vragen", "cijfers", "aanmelden", "kaart")
"""The page types, in the order of the table (an entry page of each kind is named by its kind)."""

FIXED_PATHS = {
    "home": "/",
    "overzicht": "/overzicht/",
    "zoeken": f"/zoeken/?q={SEARCH_QUERY}",
    "agenda": "/agenda/",
    "vragen": "/vragen/",
    "cijfers": "/cijfers/",
    "aanmelden": "/aanmelden/",
    "kaart": "/kaart/",
}


class HarnessError(Exception):
    """The harness could not measure (a build failed, a page type is missing, a tool broke)."""


# -- the site --------------------------------------------------------------------------------


def build(n: int, work: Path, date: dt.date = DEFAULT_TODAY) -> Path:
    """Build the site of size ``n`` into ``work/output`` (entries, if generated, in
    ``work/content``, the build cache in ``work/cache``); returns the output folder."""
    if n == SAMPLE:
        content = REPO / "content"
    else:
        content = work / "content"
        write_entries(n, content, today=date)
    output = work / "output"
    command = [WIJKNET, "build", "--root", str(REPO), "--content", str(content), "--output", str(output),
               "--date", date.isoformat()]  # fmt: skip
    # as `wijknet serve` builds: the form and the correction links post to the same origin
    env = {**os.environ, "SUBMISSIONS_URL": "/", "WIJKNET_CACHE_DIR": str(work / "cache")}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise HarnessError(f"de bouw van {n} berichten mislukte:\n{done.stdout}\n{done.stderr}")
    return output


def page_paths(output: Path) -> dict[str, str]:
    """Page type → the path (with query) of its page in the built site ``output``."""
    paths = dict(FIXED_PATHS)
    entries = json.loads((output / "data" / "initiatieven.json").read_text(encoding="utf-8"))
    for kind in KINDS:
        candidates = [entry["slug"] for entry in entries if entry["soort"] == kind]
        if not candidates:
            raise HarnessError(f"geen bericht van de soort {kind} in {output}")
        # the largest page of the kind: the most sections, links and text of any
        biggest = max(sorted(candidates), key=lambda slug: (output / "initiatieven" / slug / "index.html").stat().st_size)
        paths[kind] = f"/initiatieven/{biggest}/"
    themes = sorted(path for path in (output / "thema").glob("*/index.html"))
    if not themes:
        raise HarnessError(f"geen themapagina in {output}")
    paths["facet"] = f"/thema/{max(themes, key=lambda p: p.stat().st_size).parent.name}/"
    missing = [name for name in PAGE_TYPES if not built_file(output, paths[name]).is_file()]
    if missing:
        raise HarnessError(f"niet gebouwd: {', '.join(f'{name} ({paths[name]})' for name in missing)}")
    return {name: paths[name] for name in PAGE_TYPES}


def built_file(output: Path, path: str) -> Path:
    """The HTML file ``wijknet serve`` answers ``path`` with."""
    inner = path.split("?", 1)[0].strip("/")
    return output / inner / "index.html" if inner else output / "index.html"


@contextlib.contextmanager
def served(output: Path, state: Path, date: dt.date = DEFAULT_TODAY):
    """Serve ``output`` with the app of ``wijknet serve`` (its headers, the submission
    service with its files in ``state``) on 127.0.0.1, on a free port; yields the base URL."""
    import uvicorn

    from wijknet.commands.serve import make_app, serve_settings

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    state.mkdir(parents=True, exist_ok=True)
    environ = {**os.environ, "WIJKNET_SPOOL": str(state / "spool.sqlite3")}
    app = make_app(serve_settings(REPO, "127.0.0.1", port, date, environ), output)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="lighthouse-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise HarnessError("de server van wijknet serve startte niet")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        listener.close()


# -- Lighthouse ------------------------------------------------------------------------------


class Lighthouse:
    """``benchmarks/lighthouse_runner.mjs``: one Chromium, one page measured at a time."""

    def __init__(self, chromium: str = CHROMIUM, reports: Path | None = None):
        if not Path(chromium).exists():
            raise HarnessError(f"Chromium niet gevonden: {chromium}")
        self.reports, self.count = reports, 0
        self.process = subprocess.Popen(
            ["node", str(RUNNER), chromium], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
        )

    def measure(self, name: str, url: str) -> dict:
        """The runner's answer for one page (see the runner). A page Lighthouse could not
        measure (a timeout, a crash) is a row without scores whose ``problem`` says why;
        a runner that stopped raises.
        With ``reports``, Lighthouse's whole JSON report goes to a numbered file there."""
        request = {"name": name, "url": url}
        if self.reports is not None:
            self.count += 1
            self.reports.mkdir(parents=True, exist_ok=True)
            request["save"] = str(self.reports / f"{self.count:03d}-{name}.json")
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise HarnessError(f"de Lighthouse-runner stopte (exit {self.process.wait()}) bij {name} ({url})")
        row = json.loads(line)
        problem = row.get("runtime_error") or row.get("error")
        if problem:
            row["problem"] = f"Lighthouse kon de pagina niet meten: {problem.strip().splitlines()[0]}"
            row.setdefault("scores", {})
            row["failing"] = {category: [] for category in CATEGORIES}
            row.setdefault("metrics", {})
            # a score Lighthouse gave despite the error says nothing: the page counts as unmeasured
            row["scores"] = {category: None for category in CATEGORIES}
        return row

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Lighthouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def misses(row: dict) -> list[str]:
    """The categories of ``row`` below their target."""
    return [c for c in CATEGORIES if row["scores"].get(c) is None or row["scores"][c] < TARGETS[c]]


def _worth_retrying(row: dict) -> bool:
    if row.get("problem"):
        return False
    return "performance" in misses(row) and row["scores"]["performance"] >= RETRY_FROM


def _score(row: dict) -> int:
    return row["scores"].get("performance") or 0


RETRY_FROM = 80
"""With more than one try, only a page scoring at least this much performance is measured
again: a busy machine costs a static page a few points, not tens (and a page Lighthouse
could not measure at all, say a timeout, is too heavy, not unlucky)."""


def measure_pages(lighthouse: Lighthouse, base: str, paths: dict[str, str], tries: int = 1) -> list[dict]:
    """Lighthouse on every page of ``paths``. With ``tries`` > 1 a page below the performance
    target (but not below ``RETRY_FROM``) is measured again, up to ``tries`` times in all,
    and its best run kept: the machine's other work slows a run down, never speeds it up."""
    rows = []
    for name, path in paths.items():
        row = lighthouse.measure(name, base + path)
        row["tries"] = 1
        while _worth_retrying(row) and row["tries"] < tries:
            again = lighthouse.measure(name, base + path)
            again["tries"] = row["tries"] + 1
            row = again if _score(again) > _score(row) else {**row, "tries": again["tries"]}
        row["path"] = path
        rows.append(row)
    return rows


def shortfalls(rows: list[dict], label: str = "") -> list[str]:
    """One line per page and category below its target: where, the score, the audits that
    cost points (with their figures and the first elements they name)."""
    lines = []
    prefix = f"{label}: " if label else ""
    for row in rows:
        if row.get("problem"):
            lines.append(f"{prefix}{row['name']} ({row['path']}): geen scores: {row['problem']}")
            continue
        for category in misses(row):
            audits = "; ".join(
                f"{audit['id']}" + (f" ({audit['value']})" if audit["value"] else "")
                + (f" [{' | '.join(audit['items'])}]" if audit["items"] and category != "performance" else "")
                for audit in row["failing"][category]
            )  # fmt: skip
            lines.append(f"{prefix}{row['name']} ({row['path']}): {category} {row['scores'][category]} < {TARGETS[category]}: {audits or '-'}")
    return lines


# -- the Nu HTML Checker ---------------------------------------------------------------------


def nu_errors(files: dict[str, Path]) -> dict[str, list[str]]:
    """Page type → the Nu HTML Checker's errors in its file (``line: message``), every file
    checked in one JVM."""
    if not VNU_JAR.is_file():
        raise HarnessError(f"{VNU_JAR} ontbreekt: voer eerst `make install` uit")
    java = shutil.which("java")
    if java is None:
        raise HarnessError("java ontbreekt (de Nu HTML Checker heeft Java 11 of nieuwer nodig)")
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *(str(path) for path in files.values())]
    done = subprocess.run(command, capture_output=True, text=True)
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        raise HarnessError(f"de Nu HTML Checker gaf geen JSON (exit {done.returncode}):\n{done.stdout[:2000]}\n{done.stderr[:2000]}") from None
    by_file = {path.resolve().as_uri(): name for name, path in files.items()}
    errors: dict[str, list[str]] = {name: [] for name in files}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = by_file.get(_file_uri(message.get("url", "")))
        where = f"{message.get('lastLine', '?')}" if "lastLine" in message else "-"
        text = f"{where}: {message.get('message', '')}" + (f" «{message['extract'].strip()[:100]}»" if message.get("extract") else "")
        if name is None:  # a message about no one file: it counts for every page
            for found in errors.values():
                found.append(text)
        else:
            errors[name].append(text)
    return errors


def _file_uri(url: str) -> str:
    """The checker writes ``file:/x``; Python ``file:///x``."""
    if url.startswith("file:") and not url.startswith("file://"):
        return "file://" + url[len("file:") :]
    return url


# -- the report ------------------------------------------------------------------------------


def _seconds(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.1f} s"


def table(rows: list[dict], title: str) -> str:
    lines = [
        f"{title}",
        "",
        "| page | path | perf | a11y | best pr. | SEO | LCP | TBT | CLS | transfer |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        s, m = row["scores"], {key: row["metrics"].get(key) for key in ("lcp", "tbt", "cls", "bytes")}
        cells = [row["name"], row["path"]]
        shown = {c: "-" if s.get(c) is None else str(s[c]) for c in CATEGORIES}
        cells += [f"**{shown[c]}**" if c in misses(row) else shown[c] for c in CATEGORIES]
        cells.append(_seconds(m["lcp"]))
        cells.append("-" if m["tbt"] is None else f"{m['tbt']:.0f} ms")
        cells.append("-" if m["cls"] is None else f"{m['cls']:.3f}")
        cells.append("-" if m["bytes"] is None else f"{m['bytes'] / 1024:.0f} KB")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def run_size(n: int, work: Path, date: dt.date, lighthouse: Lighthouse | None, names: list[str] | None, tries: int, vnu: bool) -> dict:
    started = time.perf_counter()
    output = build(n, work, date)
    built = time.perf_counter() - started
    paths = page_paths(output)
    if names:
        paths = {name: path for name, path in paths.items() if name in names}
    label = f"{n} entries" + (" (sample content)" if n == SAMPLE else " (generated)")
    result: dict = {"n": n, "label": label, "build_seconds": built, "paths": paths, "load_before": load_average()}
    if lighthouse is not None:
        with served(output, work / "state", date) as base:
            result["pages"] = measure_pages(lighthouse, base, paths, tries)
    if vnu:
        result["html_errors"] = nu_errors({name: built_file(output, path) for name, path in paths.items()})
    result["load_after"] = load_average()
    return result


def report(result: dict) -> str:
    parts = []
    if "pages" in result:
        lighthouse = result["pages"][0]["lighthouse"] if result["pages"] else "?"
        parts.append(table(result["pages"], f"Lighthouse {lighthouse} (mobile, simulated throttling), {result['label']}"))
        below = shortfalls(result["pages"])
        parts.append("\nBelow target:\n" + "\n".join(f"- {line}" for line in below) if below else "\nEvery page type meets the targets.")
    if "html_errors" in result:
        counts = {name: len(errors) for name, errors in result["html_errors"].items()}
        total = sum(counts.values())
        parts.append(f"\nNu HTML Checker, {len(counts)} page types: {total} errors")
        for name, errors in result["html_errors"].items():
            for error in errors[:10]:
                parts.append(f"- {name}: {error}")
    indexes = sorted(row["benchmark_index"] for row in result.get("pages", []) if row.get("benchmark_index"))
    if indexes:  # Lighthouse's measure of this machine's speed: lower is slower (its CPU slowdown stays 4x)
        parts.append(f"\nLighthouse benchmarkIndex of this machine: {indexes[0]:.0f} to {indexes[-1]:.0f}")
    parts.append(f"Load average before: {result['load_before']}, after: {result['load_after']}; build {result['build_seconds']:.0f} s")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse en de Nu HTML Checker op elk paginatype.")
    parser.add_argument("--entries", nargs="+", type=int, default=[SAMPLE], metavar="N",
                        help=f"aantallen berichten ({SAMPLE}: de voorbeeldinhoud van de repository)")  # fmt: skip
    parser.add_argument("--pages", help=f"alleen deze paginatypes, met komma's ({','.join(PAGE_TYPES)})")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--tries", type=int, default=1, help="een pagina onder 95 prestaties zo vaak meten; de beste telt")
    parser.add_argument("--no-lighthouse", action="store_true", help="alleen de Nu HTML Checker")
    parser.add_argument("--no-vnu", action="store_true", help="alleen Lighthouse")
    parser.add_argument("--json", type=Path, help="schrijf alle cijfers naar dit bestand")
    parser.add_argument("--reports", type=Path, metavar="DIR", help="bewaar het volledige Lighthouse-rapport (JSON) van elke meting hier")
    parser.add_argument("--check", action="store_true", help="exit 1 als een pagina een doel mist of HTML-fouten heeft")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.pages.split(",")] if args.pages else None
    unknown = sorted(set(names or ()) - set(PAGE_TYPES))
    if unknown:
        parser.error(f"onbekend paginatype: {', '.join(unknown)} (kies uit {', '.join(PAGE_TYPES)})")
    results = []
    try:
        with contextlib.ExitStack() as stack:
            lighthouse = None if args.no_lighthouse else stack.enter_context(Lighthouse(reports=args.reports))
            for n in args.entries:
                work = Path(tempfile.mkdtemp(prefix=f"wijknet-lighthouse-{n}-"))
                stack.callback(shutil.rmtree, work, ignore_errors=True)
                results.append(run_size(n, work, args.date, lighthouse, names, args.tries, not args.no_vnu))
                print(report(results[-1]) + "\n", flush=True)
    except HarnessError as error:
        print(f"benchmarks/lighthouse.py: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    failed = any(shortfalls(r.get("pages", [])) or any(r.get("html_errors", {}).values()) for r in results)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
