"""Benchmark: how fast the local forge publishes, against the number of branches already there.

For each branch count a throw-away site repository gets that many ``inzending/*`` branches
(loose refs, as the service leaves them) and its spool as many published rows. Then ``--count``
new submissions are published by the real publisher (``--workers`` threads), once one at a
time (batch 1) and once in batches (``--batch``, the service's default). Prints submissions per
second and the CPU time of the git processes per submission, and, for comparison, the time of
one ``for-each-ref`` over the branches: the lookup the forge used to run for every publish.

Target: publishing does not slow down as branches pile up: the git CPU time per submission
(batched) at the largest branch count is at most 125 % of that without branches. CPU time,
not the rate, because on a shared machine the rate mostly measures the other load.

    .venv/bin/python benchmarks/publishing.py [--branches 0,2000,10000,20000] [--count 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from submissions import git, make_repo  # noqa: E402  (the same throw-away site)

from wijknet.submissions.forges.local import LocalForge  # noqa: E402
from wijknet.submissions.intake import Candidate  # noqa: E402
from wijknet.submissions.publisher import Publisher  # noqa: E402
from wijknet.submissions.settings import ServiceSettings  # noqa: E402
from wijknet.submissions.spool import RECEIVED, SUBMITTED, Spool  # noqa: E402


def add_branches(repo: Path, first: int, last: int) -> None:
    main = git(repo, "rev-parse", "main").strip()
    lines = "".join(f"create refs/heads/inzending/bestaand-{n}-{n:010x} {main}\n" for n in range(first, last))
    subprocess.run(["git", "-C", str(repo), "update-ref", "--stdin"], input=lines.encode(), check=True)


def add_published_rows(spool_path: Path, first: int, last: int) -> None:
    """Rows as a long-running service leaves them: published, one per branch."""
    db = sqlite3.connect(spool_path)
    db.executemany(
        "INSERT INTO submissions (id, dedupe_key, action, slug, title, kind, areas, file_text, submitter, summary,"
        " status, branch, created, updated) VALUES (?, ?, 'nieuw', ?, 'Bestaand', 'initiatief', '[]', 'x', '{}', '{}', ?, ?, ?, ?)",
        [(f"{n:010x}", f"bestaand-{n}", f"bestaand-{n}", SUBMITTED, f"inzending/bestaand-{n}-{n:010x}", n, n) for n in range(first, last)],
    )
    db.commit()
    db.close()


def candidate(run: str, number: int) -> Candidate:
    text = f"---\ntitel: Buurtproject {run} {number}\nsoort: initiatief\n---\nIedereen is welkom.\n"
    return Candidate(f"{run}-{number}", "nieuw", f"buurtproject-{run}-{number}", f"Buurtproject {run} {number}",
                     "initiatief", ("oost",), text, {})  # fmt: skip


def publish_all(repo: Path, spool: Spool, run: str, count: int, workers: int, batch: int) -> tuple[float, float]:
    """(submissions per second, git CPU ms per submission) for ``count`` new submissions."""
    for number in range(count):
        spool.add(candidate(run, number))
    settings = ServiceSettings(repo=repo, publish_workers=workers, publish_batch=batch)
    publisher = Publisher(spool, LocalForge(repo, "content/initiatieven", "main", "Bench", "b@example.org"), settings)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    publisher.start()
    try:
        while spool.all((RECEIVED,)):
            time.sleep(0.02)
    finally:
        publisher.stop()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    failed = [row.id for row in spool.all() if row.status not in (SUBMITTED,)]
    if failed:
        raise SystemExit(f"niet gepubliceerd: {failed[:5]}")
    return count / elapsed, cpu / count * 1000


def listing_ms(repo: Path) -> float:
    started = time.perf_counter()
    git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/inzending/*-0000000000")
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", default="0,2000,10000,20000", help="comma-separated branch counts")
    parser.add_argument("--count", type=int, default=200, help="new submissions per run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=ServiceSettings(repo=Path(".")).publish_batch)
    args = parser.parse_args()
    counts = sorted(int(item) for item in args.branches.split(","))

    workdir = Path(tempfile.mkdtemp(prefix="wijknet-publishing-"))
    try:
        repo = make_repo(workdir / "site")
        spool = Spool(workdir / "spool.sqlite3")
        print(f"{args.count} new submissions per run, {args.workers} publisher threads, local forge (loose refs)")
        print(f"{'branches':>9} {'spool rows':>10} | {'batch 1':>8} {'cpu/sub':>8} | {f'batch {args.batch}':>8} {'cpu/sub':>8} | {'old lookup':>10}")
        publish_all(repo, spool, "warm", 20, args.workers, args.batch)  # caches, first processes
        cpus: list[float] = []
        have = 0
        for target in counts:
            add_branches(repo, have, max(have, target))
            add_published_rows(spool.path, have, max(have, target))
            have = max(have, target)
            present = len(spool.all())
            single, single_cpu = publish_all(repo, spool, f"a{target}", args.count, args.workers, 1)
            batched, batched_cpu = publish_all(repo, spool, f"b{target}", args.count, args.workers, args.batch)
            cpus.append(batched_cpu)
            print(
                f"{target:>9,} {present:>10,} | {single:>6.0f}/s {single_cpu:>5.1f} ms | {batched:>6.0f}/s {batched_cpu:>5.1f} ms"
                f" | {listing_ms(repo):>7.1f} ms"
            )
        ratio = cpus[-1] / cpus[0]
        print(f"git CPU per submission (batched) at {counts[-1]:,} branches: {ratio * 100:.0f} % of that at {counts[0]:,}")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (rates on a shared machine are pessimistic)")
        ok = ratio <= 1.25
        print("target (at most 125 %):", "met" if ok else "NOT met")
        spool.close()
        return 0 if ok else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
