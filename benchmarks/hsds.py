"""The HSDS 3.0 export on generated content: how long it takes, how big it is, and whether
every object validates against the official schemas.

    .venv/bin/python benchmarks/hsds.py              # N = 1,000
    .venv/bin/python benchmarks/hsds.py 1000 5000 --import

For each N: generate N entries (``benchmarks/generate.py``), load them as the build does,
make the ``data/hsds/`` files twice (without the build cache; then with a warm cache, as a
rebuild after one edit would), write them, and validate the folder
(``wijknet.hsds.validate``). With ``--import``, import the datapackage again into an empty
folder and count the entries that come back equal. Prints a table; exits 1 when a file does
not validate or the round trip loses an entry.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.generate import DEFAULT_TODAY, write_entries  # noqa: E402
from wijknet.build import load_valid_catalog  # noqa: E402
from wijknet.engine.cache import BuildCache  # noqa: E402
from wijknet.engine.urls import Urls  # noqa: E402
from wijknet.hsds.provider import dataset_files  # noqa: E402
from wijknet.hsds.validate import validate_dataset  # noqa: E402
from wijknet.project import Project  # noqa: E402
from wijknet.providers import site_build  # noqa: E402


def _files(catalog, cache: BuildCache) -> tuple[dict[str, bytes], float]:
    started = time.process_time()
    files = dataset_files(site_build(catalog, Urls(catalog.settings.site_url), cache))
    return files, time.process_time() - started


def run_size(n: int, work: Path, today: dt.date, round_trip: bool) -> dict:
    project = Project.at(REPO, content=work / "content")
    write_entries(n, work / "content", seed=1, taxonomy=project.load_taxonomy(), today=today)
    catalog = load_valid_catalog(project, today, work / "cache", jobs=1)
    cold, cold_cpu = _files(catalog, BuildCache(None))
    cache = BuildCache(work / "cache").for_build("benchmark", catalog)
    _files(catalog, cache)
    warm, warm_cpu = _files(catalog, cache)
    assert warm == cold, "the cache changed the output"
    out = work / "out"
    for path, content in cold.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    started = time.perf_counter()
    problems, counts = validate_dataset(out / "data" / "hsds")
    row = {
        "n": n,
        "services": sum(1 for path in cold if path.startswith("data/hsds/services/") and "page-" not in path),
        "files": len(cold),
        "mb": sum(len(content) for content in cold.values()) / 1e6,
        "cold_cpu": cold_cpu,
        "warm_cpu": warm_cpu,
        "validate_s": time.perf_counter() - started,
        "objects": sum(counts.values()),
        "problems": problems,
    }
    if round_trip:
        from wijknet.importers.hsds import ImportOptions, run_import
        from wijknet.importers.hsds_mapping import MAPPING_FILE, load_hsds_mapping

        taxonomy = project.load_taxonomy()
        started = time.perf_counter()
        report = run_import(
            ImportOptions(source=out / "data" / "hsds", content_root=work / "back", taxonomy=taxonomy,
                          mapping=load_hsds_mapping(REPO / "taxonomy" / MAPPING_FILE, taxonomy),
                          settings=project.load_settings(), checked=today)  # fmt: skip
        )
        row["import_s"] = time.perf_counter() - started
        back = Project.at(REPO, content=work / "back").load(today).catalog
        originals = {entry.slug: entry for entry in catalog.listed if entry.kind != "vraag"}
        same = 0
        for entry in back.entries:
            original = originals.get(entry.slug)
            if original is None:
                continue
            front = {key: value for key, value in original.front_matter().items() if key != "uitgelicht"}
            same += entry.front_matter() == front and entry.description == original.description
        row["round_trip"] = f"{same} / {len(originals)}"
        row["import_failed"] = report.failed
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--date", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--import", dest="round_trip", action="store_true", help="import the export again")
    args = parser.parse_args(argv)
    rows, failed = [], False
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"wijknet-hsds-{n}-"))
        try:
            row = run_size(n, work, args.date, args.round_trip)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        rows.append(row)
        for problem in row["problems"][:10]:
            print(problem, file=sys.stderr)
        failed |= bool(row["problems"]) or row.get("import_failed", False)
        if args.round_trip and row["round_trip"].split(" / ")[0] != row["round_trip"].split(" / ")[1]:
            failed = True
    print("| N | services | files | size | CPU, no cache | CPU, warm cache | validate (objects) | problems |"
          + (" import | round trip |" if args.round_trip else ""))  # fmt: skip
    print("|---|---|---|---|---|---|---|---|" + ("---|---|" if args.round_trip else ""))
    for row in rows:
        line = (
            f"| {row['n']:,} | {row['services']:,} | {row['files']:,} | {row['mb']:.1f} MB | {row['cold_cpu']:.2f} s "
            f"| {row['warm_cpu']:.2f} s | {row['validate_s']:.1f} s ({row['objects']:,}) | {len(row['problems'])} |"
        )
        if args.round_trip:
            line += f" {row['import_s']:.1f} s | {row['round_trip']} |"
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
