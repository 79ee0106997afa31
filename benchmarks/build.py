"""Build-time benchmark: wijknet's build against plain Pelican on the same entries.

    .venv/bin/python benchmarks/build.py                 # N = 1,000 and 5,000
    .venv/bin/python benchmarks/build.py 1000 5000 20000

For each N: generate N entries (``benchmarks/generate.py``) into a temporary folder, then
measure, each in a fresh process (wall time, CPU time of the process and its children, peak
RSS of the largest process via ``RUSAGE_CHILDREN``, and the peak of the summed PSS of the
whole process tree, sampled from ``/proc``: memory shared by forked workers counted once):

- ours: a full build (no cache, no output), a rebuild with nothing changed, and rebuilds
  after editing one entry, adding one and deleting one (``wijknet build`` each time);
- plain Pelican: the same entries as ordinary Markdown articles (Title, Date, Category,
  Tags; the description as the body) with its default theme and a minimal settings file,
  a full build and a rebuild after editing one file.

Prints a table and, with ``--json FILE``, writes the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.environment import build_environment, compile_checkout  # noqa: E402
from benchmarks.generate import DEFAULT_TODAY, generate_named_entries  # noqa: E402
from wijknet.safe_yaml import load_bytes  # noqa: E402

# Runs a command and prints its wall time, CPU time, the peak RSS of the largest process of
# its tree and the peak of the tree's summed PSS (proportional set size: a page shared by the
# forked workers counts once over all of them), sampled every 50 ms from /proc (0.7 ms a sample).
MEASURE = r"""
import json, os, resource, subprocess, sys, threading, time

def tree_pss_kb(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return total

started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
peak = [0]
def sample():
    while process.poll() is None:
        peak[0] = max(peak[0], tree_pss_kb(process.pid))
        time.sleep(0.05)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
out, _ = process.communicate()
wall = time.perf_counter() - started
sampler.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                  "pss_mb": peak[0] / 1024, "code": process.returncode, "out": out[-2000:]}))
"""

PLAIN_SETTINGS = """
AUTHOR = "benchmark"
SITENAME = "Plain Pelican"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, cwd=REPO)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result['out']}")
    return result


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def gzip_size(*paths: Path) -> int:
    return sum(len(gzip.compress(path.read_bytes(), 9)) for path in paths if path.is_file())


def plain_article(slug: str, text: str) -> str:
    """An entry as an ordinary Pelican Markdown article."""
    loaded = load_bytes(text.encode("utf-8"))
    data = loaded.data or {}
    tags = ", ".join([*data.get("themas", []), *data.get("doelgroepen", [])])
    checked = data.get("gecontroleerd") or DEFAULT_TODAY
    body = loaded.body.strip() or str(data.get("samenvatting", ""))
    return (
        f"Title: {data.get('titel', slug)}\nDate: {checked}\nCategory: {data.get('soort', 'initiatief')}\n"
        f"Tags: {tags}\nSlug: {slug}\nSummary: {data.get('samenvatting', '')}\n\n{body}\n"
    )


def edited(text: str) -> str:
    """The same entry with one more sentence in its description."""
    return text.rstrip("\n") + "\n\nNieuw: vanaf januari ook op zaterdag open.\n"


def run_size(n: int, work: Path, date: dt.date) -> dict:
    named = generate_named_entries(n + 1, today=date)
    entries, spare = named[:n], named[n]
    content = work / "content" / "initiatieven"
    content.mkdir(parents=True)
    plain = work / "plain" / "content"
    plain.mkdir(parents=True)
    for slug, text in entries:
        (content / f"{slug}.md").write_text(text, encoding="utf-8")
        (plain / f"{slug}.md").write_text(plain_article(slug, text), encoding="utf-8")
    env = build_environment(work / "cache")
    output = work / "output"
    ours = [str(REPO / ".venv" / "bin" / "wijknet"), "build", "--root", str(REPO), "--content", str(work / "content"),
            "--output", str(output), "--date", date.isoformat()]  # fmt: skip
    figures: dict = {"n": n}
    figures["full"] = measure(ours, env)
    figures["size_mb"] = folder_size(output) / 1e6
    search = output / "search"
    figures["search_gz_kb"] = gzip_size(search / "index.json", search / "documents.json", search / "taxonomy.json") / 1e3
    figures["files"] = sum(1 for path in output.rglob("*") if path.is_file())
    figures["noop"] = measure(ours, env)
    victim_slug, victim_text = entries[n // 2]
    (content / f"{victim_slug}.md").write_text(edited(victim_text), encoding="utf-8")
    figures["edit"] = measure(ours, env)
    (content / f"{spare[0]}.md").write_text(spare[1], encoding="utf-8")
    figures["add"] = measure(ours, env)
    (content / f"{entries[n // 3][0]}.md").unlink()
    figures["delete"] = measure(ours, env)

    settings = work / "plain" / "pelicanconf.py"
    settings.write_text(PLAIN_SETTINGS)
    plain_output = work / "plain" / "output"
    pelican = [sys.executable, "-m", "pelican", str(plain), "-s", str(settings), "-o", str(plain_output), "-q"]
    figures["plain_full"] = measure(pelican)
    figures["plain_size_mb"] = folder_size(plain_output) / 1e6
    article = plain / f"{victim_slug}.md"
    article.write_text(article.read_text() + "\nNieuw: vanaf januari ook op zaterdag open.\n")
    figures["plain_edit"] = measure(pelican)
    return figures


def table(rows: list[dict]) -> str:
    def cell(figure: dict) -> str:
        return f"{figure['wall']:.1f} s / {figure['cpu']:.1f} s"

    lines = [
        "| N | full build wall / CPU (ours) | plain Pelican wall / CPU | ratio (wall) | no-op rebuild | edit one | add one | delete one | plain Pelican after edit | peak RSS ours / plain | peak PSS of all processes ours / plain | output ours / plain | complete search files, gzip (index, documents, taxonomy; the browser loads shards) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        peak = max(row[key]["rss_mb"] for key in ("full", "noop", "edit", "add", "delete"))
        pss = max(row[key]["pss_mb"] for key in ("full", "noop", "edit", "add", "delete"))
        lines.append(
            f"| {row['n']:,} | {cell(row['full'])} | {cell(row['plain_full'])} | "
            f"{row['full']['wall'] / row['plain_full']['wall']:.2f} | {row['noop']['wall']:.1f} s | "
            f"{row['edit']['wall']:.1f} s | {row['add']['wall']:.1f} s | {row['delete']['wall']:.1f} s | "
            f"{row['plain_edit']['wall']:.1f} s | {peak:.0f} / {row['plain_full']['rss_mb']:.0f} MB | "
            f"{pss:.0f} / {row['plain_full']['pss_mb']:.0f} MB | "
            f"{row['size_mb']:.0f} / {row['plain_size_mb']:.0f} MB ({row['files']:,} files) | {row['search_gz_kb']:.0f} KB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouwtijd: wijknet tegen gewone Pelican.")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--date", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    compile_checkout(REPO)
    rows = []
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"wijknet-bench-{n}-"))
        try:
            rows.append(run_size(n, work, args.date))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(table(rows[-1:]), flush=True)
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
