"""Two checkouts of wijknet, built in turns on the same generated entries: before/after.

    .venv/bin/python benchmarks/compare_builds.py OLD_CHECKOUT NEW_CHECKOUT [--sizes 1000 5000] [--rounds 3]

Each checkout needs its own ``make install`` (its ``.venv``). For each size the entries are
generated once (``benchmarks/generate.py``); then, round by round and checkout by checkout:
a full build (no cache, no output), a no-op rebuild, and rebuilds after editing one entry,
adding one and deleting it again. Taking turns keeps load from other work on the machine
from falling on one side only. Prints the median wall and CPU time (the process and its
children) of each step, and the change in wall time. Builds run from compiled bytecode, as
an installed wijknet does (``benchmarks/environment.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.environment import build_environment, compile_checkout  # noqa: E402
from benchmarks.generate import DEFAULT_TODAY, generate_named_entries  # noqa: E402

STEPS = ("full", "noop", "edit", "add", "delete")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(checkouts: list[Path], n: int, rounds: int, date: dt.date) -> list[dict[str, list[tuple[float, float]]]]:
    """Per checkout (in the order given; the same one may stand twice): step → (wall, CPU) per round."""
    work = Path(tempfile.mkdtemp(prefix=f"wijknet-compare-{n}-"))
    try:
        named = generate_named_entries(n + 1, today=date)
        content = work / "content" / "initiatieven"
        content.mkdir(parents=True)
        for slug, text in named[:n]:
            (content / f"{slug}.md").write_text(text, encoding="utf-8")
        victim = content / f"{named[n // 2][0]}.md"
        original = victim.read_text(encoding="utf-8")
        spare = content / f"{named[n][0]}.md"
        results = [{step: [] for step in STEPS} for _ in checkouts]
        env = build_environment(work / "cache")
        for _ in range(rounds):
            for checkout, measured in zip(checkouts, results):
                victim.write_text(original, encoding="utf-8")
                spare.unlink(missing_ok=True)
                shutil.rmtree(work / "cache", ignore_errors=True)
                shutil.rmtree(work / "output", ignore_errors=True)
                command = [str(checkout / ".venv" / "bin" / "wijknet"), "build", "--root", str(checkout),
                           "--content", str(work / "content"), "--output", str(work / "output"), "--date", date.isoformat()]  # fmt: skip
                measured["full"].append(timed(command, env))
                measured["noop"].append(timed(command, env))
                victim.write_text(original.rstrip("\n") + "\n\nNieuw: vanaf januari ook op zaterdag open.\n", encoding="utf-8")
                measured["edit"].append(timed(command, env))
                spare.write_text(named[n][1], encoding="utf-8")
                measured["add"].append(timed(command, env))
                spare.unlink()
                measured["delete"].append(timed(command, env))
        victim.write_text(original, encoding="utf-8")
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(n: int, names: list[str], results: list[dict[str, list[tuple[float, float]]]]) -> str:
    lines = [f"| N | step | {names[0]} wall / CPU | {names[1]} wall / CPU | change (wall) |", "|---|---|---|---|---|"]
    for step in STEPS:
        cells = []
        for measured in results:
            runs = measured[step]
            cells.append((statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)))
        change = (cells[1][0] / cells[0][0] - 1) * 100 if cells[0][0] else 0.0
        lines.append(f"| {n:,} | {step} | {cells[0][0]:.2f} / {cells[0][1]:.2f} s | {cells[1][0]:.2f} / {cells[1][1]:.2f} s | {change:+.0f} % |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Twee versies van wijknet om beurten bouwen: voor en na.")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    args = parser.parse_args(argv)
    checkouts = [args.old.resolve(), args.new.resolve()]
    for checkout in checkouts:
        if not (checkout / ".venv" / "bin" / "wijknet").is_file():
            raise SystemExit(f"{checkout}: geen .venv/bin/wijknet; voer daar eerst `make install` uit")
        compile_checkout(checkout)
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    for n in args.sizes:
        print(table(n, [f"old ({checkouts[0].name})", f"new ({checkouts[1].name})"], compare(checkouts, n, args.rounds, args.date)), flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
