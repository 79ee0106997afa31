"""How long ``wijknet validate`` takes: N generated valid entries, validated with load_catalog.

    .venv/bin/python benchmarks/validate.py [N] [--repeat R] [--profile]

Writes N entries (``benchmarks/generate.py``, fixed seed) to a temporary folder, then times
the real ``load_catalog`` (read, safe YAML, pydantic validation, catalog). Prints the best
of R runs. Target: 5,000 entries in under 5 s on a 2-core machine. ``--profile`` prints
the top of a cProfile run sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.generate import write_entries  # noqa: E402
from wijknet.content.catalog import load_catalog  # noqa: E402
from wijknet.project import Project  # noqa: E402

TODAY = dt.date(2026, 11, 23)
TARGET_SECONDS_PER_5000 = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    project = Project.at(REPO)
    taxonomy, settings = project.load_taxonomy(), project.load_settings()
    with tempfile.TemporaryDirectory(prefix="wijknet-validate-") as tmp:
        started = time.perf_counter()
        write_entries(args.n, Path(tmp), seed=1, taxonomy=taxonomy, today=TODAY)
        generated = time.perf_counter() - started
        content = Path(tmp) / "initiatieven"
        size = sum(path.stat().st_size for path in content.glob("*.md"))
        timings = []
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            result = load_catalog(content, taxonomy, settings, TODAY)
            timings.append(time.perf_counter() - started)
        if result.problems:
            for problem in result.problems[:10]:
                print(f"{problem.file}:{problem.line}: {problem.key}: {problem.message()}", file=sys.stderr)
            print(f"{len(result.problems)} problems: the generator wrote invalid entries", file=sys.stderr)
            return 1
        best = min(timings)
        budget = TARGET_SECONDS_PER_5000 * args.n / 5000
        print(f"entries:   {args.n} ({size / 1e6:.1f} MB, generated in {generated:.1f} s)")
        print(f"validate:  best {best:.2f} s of {len(timings)} runs ({', '.join(f'{t:.2f}' for t in timings)})")
        print(f"per entry: {best / args.n * 1000:.2f} ms")
        print(f"target:    {budget:.2f} s -> {'OK' if best < budget else 'TOO SLOW'}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            load_catalog(content, taxonomy, settings, TODAY)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
