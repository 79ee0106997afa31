"""Soak: the submission service under a mixed, hostile load, killed with SIGKILL every minute.

A real uvicorn process (``wijknet submissions``, local forge, a throw-away git repository)
gets requests from 50 concurrent clients (each waiting about ``--think`` seconds between
requests) for a bounded time: valid submissions, invalid
ones (422), and hostile bodies (JSON nested thousands deep, lone surrogates, bytes that are
not UTF-8, script and bidi controls in the fields). Every ``--restart-every`` seconds the
service is killed with ``kill -9`` and started again; a client whose request got no answer
sends the same body again (with the same ``Idempotency-Key``), as a browser would. When the
load ends, the service keeps running until every accepted submission is a branch (the final
drain, bounded by ``--drain-timeout``).

Prints accepted versus published (a branch) and how many were published when the load
ended; "lost": accepted, yet neither published nor in the spool after the drain; submissions
with more than one branch; whether main moved; the count of 5xx; p50/p95 latency of the
answered requests; the service's RSS at the start and at the end of each run between two
kills; the machine's load (latency on a shared machine is pessimistic). Targets: 0 lost,
published = accepted, 0 5xx, p95 <= 100 ms, RSS growth <= 20 % within a run, over at least
5 minutes. Exit code 0 when all are met.

    .venv/bin/python benchmarks/soak.py [--seconds 300] [--concurrency 50] [--restart-every 60]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from submissions import make_repo, submission  # noqa: E402  (the same throw-away site)


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


class Service:
    """The service process, started and killed by the soak."""

    def __init__(self, repo: Path):
        self.repo = repo
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.env = {
            **os.environ,
            "WIJKNET_REPO": str(repo),
            "WIJKNET_RATE_LIMIT": "100000000/60",  # one client address sends everything here
            "WIJKNET_MIN_FILL_SECONDS": "0",
            "WIJKNET_RETRY_BASE_SECONDS": "0.2",
        }
        self.process: subprocess.Popen | None = None
        self.runs: list[dict] = []

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wijknet.cli", "submissions", "--port", str(self.port), "--log-level", "warning"],
            env=self.env, cwd=str(self.repo), stdout=subprocess.DEVNULL, stderr=self._log,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/api/inzendingen/bestaat-niet")
                connection.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit("de dienst startte niet")
                time.sleep(0.05)
        self.runs.append({"pid": self.process.pid, "rss_start": rss_kb(self.process.pid), "rss_end": 0})

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.runs[-1]["rss_end"] = rss_kb(self.process.pid)
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.runs[-1]["rss_end"] = rss_kb(self.process.pid)
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    _log = None


def bodies(number: int) -> tuple[str, dict | bytes]:
    """(kind, body) for request ``number``: 60 % valid, 25 % invalid, 15 % hostile. A dict is
    sent as JSON after :func:`with_fill_time`; bytes are sent as they are."""
    roll = number % 20
    if roll < 12:
        data = submission(number)
        if roll == 0:
            data["beschrijving"] = "<script>alert(1)</script> <img src=x onerror=alert(2)> **vet**"
            data["titel"] = f"<b>Buurtproject</b> {number} \u202e"
        return "valid", data
    if roll < 17:
        data = submission(number)
        data.pop("contact") if roll == 12 else None
        data["locatie"] = {"postcode": "0000 XX"} if roll == 13 else data.get("locatie", {"naam": "x"})
        if roll == 14:
            data["themas"] = ["bestaat-niet"]
        if roll == 15:
            data["titel"] = "x"
        if roll == 16:
            data["werkgebied"] = []
        return "invalid", data
    hostile = [
        ('{"a":' * 4000 + "1" + "}" * 4000).encode(),
        b'{"titel": "a\\ud800b", "inzender": {"email": "\\udfff@x.nl"}, "sleutel": "\\ud83d"}',
        b"\xff\xfe\x00garbage",
    ][roll - 17]
    return "hostile", hostile


def with_fill_time(connection: http.client.HTTPConnection, data: dict) -> dict:
    """``data`` with the client's form token: fetched once per client thread over
    ``connection`` (``GET /api/inzendingen/token``) and kept through the restarts, as a form
    shown before a kill is sent after it (the secret that signs tokens lives in the
    service's state folder). The service runs with ``WIJKNET_MIN_FILL_SECONDS=0``."""
    token = getattr(_CLIENT, "token", "")
    if not token:
        connection.request("GET", "/api/inzendingen/token")
        token = _CLIENT.token = json.loads(connection.getresponse().read())["token"]
    return {**data, "token": token}


_CLIENT = threading.local()  # each client thread's form token


def published_branches(repo: Path) -> dict[str, list[str]]:
    """Submission id -> its ``inzending/*`` branches."""
    out = subprocess.run(["git", "-C", str(repo), "for-each-ref", "--format=%(refname:short)", "refs/heads/inzending/"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    found: dict[str, list[str]] = {}
    for branch in out.split():
        found.setdefault(branch.rsplit("-", 1)[-1], []).append(branch)
    return found


def spool_states(repo: Path) -> dict[str, str]:
    """Submission id -> its state in the spool (read after the service stopped)."""
    db = sqlite3.connect(f"file:{repo / '.submissions' / 'spool.sqlite3'}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT id, status FROM submissions"))
    finally:
        db.close()


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--restart-every", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.5, help="seconds each client waits between requests")
    parser.add_argument("--drain-timeout", type=float, default=300.0, help="longest wait for publishing after the load")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wijknet-soak-"))
    repo = make_repo(workdir / "site")
    main_before = subprocess.run(["git", "-C", str(repo), "rev-parse", "main"], capture_output=True, text=True, check=True).stdout
    service = Service(repo)
    service._log = open(workdir / "service.log", "wb")
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, dict[int, int]] = {"valid": {}, "invalid": {}, "hostile": {}}
    accepted: set[str] = set()
    resent = 0
    counter = iter(range(10**9))
    load_before = os.getloadavg()[0]
    stop_at = time.monotonic() + args.seconds
    up = threading.Event()

    def client() -> None:
        nonlocal resent
        connection = None
        while time.monotonic() < stop_at:
            up.wait()
            number = next(counter)
            kind, body = bodies(number)
            while time.monotonic() < stop_at + 30:  # the same body until it is answered
                up.wait()
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
                started = time.perf_counter()
                try:
                    payload = json.dumps(with_fill_time(connection, body)).encode() if isinstance(body, dict) else body
                    headers = {"Content-Type": "application/json", "Idempotency-Key": f"soak-{number}"}
                    connection.request("POST", "/api/inzendingen", body=payload, headers=headers)
                    response = connection.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException):  # killed mid-request: send it again
                    connection.close()
                    connection = None
                    with lock:
                        resent += 1
                    time.sleep(0.05)
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[kind][response.status] = statuses[kind].get(response.status, 0) + 1
                    if response.status == 202:
                        accepted.add(json.loads(answer)["id"])
                break
            time.sleep(args.think * random.uniform(0.5, 1.5))

    try:
        service.start()
        up.set()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.concurrency)]
        for thread in threads:
            thread.start()
        next_kill = time.monotonic() + args.restart_every
        kills = 0
        while time.monotonic() < stop_at:
            time.sleep(0.2)
            if time.monotonic() >= next_kill and time.monotonic() < stop_at - 5:
                up.clear()
                service.kill()
                kills += 1
                service.start()
                up.set()
                next_kill = time.monotonic() + args.restart_every
        for thread in threads:
            thread.join(40)
        load_after = os.getloadavg()[0]
        service.runs[-1]["rss_end"] = rss_kb(service.process.pid)  # the load's end, not the drain

        # the final drain: the service goes on until every accepted submission is a branch
        published = published_branches(repo)
        at_load_end = len(accepted & published.keys())
        drain_started = time.monotonic()
        while not accepted <= published.keys() and time.monotonic() - drain_started < args.drain_timeout:
            time.sleep(0.5)
            published = published_branches(repo)
        drained = time.monotonic() - drain_started
        rss_end = service.runs[-1]["rss_end"]
        service.stop()
        service.runs[-1]["rss_end"] = rss_end
        states = spool_states(repo)

        done = accepted & published.keys()
        waiting = {i for i in accepted - done if i in states}
        lost = accepted - done - waiting
        duplicates = sum(1 for i in accepted if len(published.get(i, [])) > 1)
        main_after = subprocess.run(["git", "-C", str(repo), "rev-parse", "main"], capture_output=True, text=True, check=True).stdout
        spool_published = sum(1 for i in accepted if states.get(i) == "ingediend")
        every = {code: sum(kinds.get(code, 0) for kinds in statuses.values()) for code in sorted({c for k in statuses.values() for c in k})}
        five_xx = sum(count for status, count in every.items() if status >= 500)
        ordered = sorted(latencies)
        p50, p95 = statistics.median(ordered), percentile(ordered, 0.95)
        growth = max((run["rss_end"] - run["rss_start"]) / run["rss_start"] for run in service.runs if run["rss_start"])
        traceback_lines = (workdir / "service.log").read_text(errors="replace").count("Traceback")

        print(f"soak:                  {args.seconds:.0f} s, {args.concurrency} clients ({args.think:.1f} s between requests), kill -9 every {args.restart_every:.0f} s ({kills} kills)")
        print(f"machine:               {os.cpu_count()} CPUs, load average {load_before:.1f} at the start, {load_after:.1f} at the end (shared: latency is pessimistic)")
        print(f"requests answered:     {len(ordered)} ({', '.join(f'{code}: {count}' for code, count in every.items())})")
        for kind, codes in statuses.items():
            print(f"  {kind + ':':20} {', '.join(f'{code}: {count}' for code, count in sorted(codes.items())) or '-'}")
        print(f"sent again:            {resent} (no answer: the service was killed or starting)")
        print(f"accepted / published:  {len(accepted)} / {len(done)} ({at_load_end} published when the load ended; drain {drained:.1f} s, bound {args.drain_timeout:.0f} s)")
        print(f"in the spool:          {len(waiting)} accepted without a branch after the drain; {spool_published} marked published")
        print(f"lost:                  {len(lost)} (accepted, neither published nor in the spool)")
        print(f"more than one branch:  {duplicates} submissions; main moved: {'yes' if main_after != main_before else 'no'}")
        print(f"5xx:                   {five_xx}")
        print(f"latency:               p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {percentile(ordered, 0.99):.1f} ms, max {ordered[-1]:.1f} ms")
        for number, run in enumerate(service.runs, start=1):
            print(f"RSS run {number}:             {run['rss_start'] / 1024:.1f} MB at the start, {run['rss_end'] / 1024:.1f} MB at the end")
        print(f"largest RSS growth:    {growth * 100:.1f} % within a run")
        print(f"tracebacks in the log: {traceback_lines}")
        checks = {
            "at least 5 minutes": args.seconds >= 300,
            "0 lost": not lost,
            "published = accepted": len(done) == len(accepted) and duplicates == 0 and main_after == main_before,
            "0 5xx": five_xx == 0,
            "p95 <= 100 ms": p95 <= 100,
            "RSS growth <= 20 %": growth <= 0.20,
        }
        missed = [name for name, ok in checks.items() if not ok]
        print("targets (" + ", ".join(checks) + "):", "met" if not missed else f"NOT met: {', '.join(missed)}")
        return 0 if not missed else 1
    finally:
        service.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
