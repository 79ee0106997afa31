"""Soak: the submission service under a mixed, hostile load, killed with SIGKILL every minute.

A real uvicorn process (``wijknet submissions``, local forge, a throw-away git repository)
gets requests from 50 concurrent clients (each waiting about ``--think`` seconds between
requests) for a bounded time: valid submissions, invalid
ones (422), and hostile bodies (JSON nested thousands deep, lone surrogates, bytes that are
not UTF-8, a wrong content type, an oversized body, script in every field). Each client
gets a form token once and keeps it through the restarts (the secret that signs tokens
lives in the service's state folder), so a form shown before a kill can be sent after it.
Every
``--restart-every`` seconds the service is killed with ``kill -9`` and started again; the
clients wait and go on. At the end the service runs until every accepted submission is a
branch, or the wait times out.

Prints accepted versus published (lost = accepted without a branch), the count of 5xx,
p50/p95 latency of the answered requests, and the service's RSS at the start and at the
end of each run between two kills. Targets: 0 lost, 0 5xx, p95 <= 100 ms, RSS growth
<= 20 % within a run. Exit code 0 when all are met.

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


def bodies(number: int, token: str) -> tuple[str, bytes, str]:
    """(kind, body, content type) for request ``number``: 60 % valid, 25 % invalid, 15 % hostile;
    the valid and invalid ones carry the client's form ``token``."""
    roll = number % 20
    if roll < 12:
        data = {**submission(number), "token": token}
        if roll == 0:
            data["beschrijving"] = "<script>alert(1)</script> <img src=x onerror=alert(2)> **vet**"
            data["titel"] = f"<b>Buurtproject</b> {number} \u202e"
        return "valid", json.dumps(data).encode(), "application/json"
    if roll < 17:
        data = {**submission(number), "token": token}
        data.pop("contact") if roll == 12 else None
        data["locatie"] = {"postcode": "0000 XX"} if roll == 13 else data.get("locatie", {"naam": "x"})
        if roll == 14:
            data["themas"] = ["bestaat-niet"]
        if roll == 15:
            data["titel"] = "x"
        if roll == 16:
            data["werkgebied"] = []
        return "invalid", json.dumps(data).encode(), "application/json"
    hostile = [
        ('{"a":' * 4000 + "1" + "}" * 4000).encode(),
        b'{"titel": "a\\ud800b", "inzender": {"email": "\\udfff@x.nl"}, "sleutel": "\\ud83d"}',
        b"\xff\xfe\x00garbage",
    ][roll - 17]
    return "hostile", hostile, "application/json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--restart-every", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.5, help="seconds each client waits between requests")
    parser.add_argument("--publish-timeout", type=float, default=600.0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wijknet-soak-"))
    repo = make_repo(workdir / "site")
    service = Service(repo)
    service._log = open(workdir / "service.log", "wb")
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    accepted: set[str] = set()
    refused_during_restart = 0
    counter = iter(range(10**9))
    stop_at = time.monotonic() + args.seconds
    up = threading.Event()

    def client() -> None:
        nonlocal refused_during_restart
        connection = None
        token = ""
        while time.monotonic() < stop_at:
            up.wait()
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
            started = time.perf_counter()
            try:
                if not token:  # once per client: it stays valid across the restarts
                    connection.request("GET", "/api/inzendingen/token")
                    token = json.loads(connection.getresponse().read())["token"]
                    started = time.perf_counter()
                number = next(counter)
                kind, body, content_type = bodies(number, token)
                connection.request("POST", "/api/inzendingen", body=body, headers={"Content-Type": content_type})
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = None
                with lock:
                    refused_during_restart += 1
                time.sleep(0.05)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            time.sleep(args.think * random.uniform(0.5, 1.5))
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.status == 202:
                    accepted.add(json.loads(payload)["id"])

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
        rss_before_wait = rss_kb(service.process.pid)
        service.runs[-1]["rss_end"] = rss_before_wait

        # publishing goes on after the load: wait until every accepted submission is a branch,
        # or until nothing new was published for 60 s (then what is missing is lost)
        waited = last_progress = time.monotonic()
        published: set[str] = set()
        while True:
            out = subprocess.run(["git", "-C", str(repo), "for-each-ref", "--format=%(refname:short)", "refs/heads/inzending/"],
                                 capture_output=True, text=True, check=True).stdout  # fmt: skip
            now_published = {line.rsplit("-", 1)[-1] for line in out.splitlines() if line}
            if len(now_published) > len(published):
                last_progress = time.monotonic()
            published = now_published
            if accepted <= published or time.monotonic() - last_progress > 60 or time.monotonic() - waited > args.publish_timeout:
                break
            time.sleep(0.5)
        service.stop()
        service.runs[-1]["rss_end"] = rss_before_wait  # the load's end, not the publishing tail

        lost = accepted - published
        five_xx = sum(count for status, count in statuses.items() if status >= 500)
        ordered = sorted(latencies)
        p50 = statistics.median(ordered)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        growth = max((run["rss_end"] - run["rss_start"]) / run["rss_start"] for run in service.runs if run["rss_start"])
        print(f"soak:                  {args.seconds:.0f} s, {args.concurrency} clients ({args.think:.1f} s between requests), kill -9 every {args.restart_every:.0f} s ({kills} kills)")
        print(f"requests answered:     {len(ordered)} ({', '.join(f'{s}: {c}' for s, c in sorted(statuses.items()))})")
        print(f"refused while down:    {refused_during_restart} (connection refused or reset during a restart; sent again)")
        print(f"accepted / published:  {len(accepted)} / {len(accepted & published)} (not published: {len(lost)}; waited {time.monotonic() - waited:.1f} s after the load ended)")
        print(f"5xx:                   {five_xx}")
        print(f"latency:               p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms")
        for number, run in enumerate(service.runs, start=1):
            print(f"RSS run {number}:             {run['rss_start'] / 1024:.1f} MB at the start, {run['rss_end'] / 1024:.1f} MB at the end")
        print(f"largest RSS growth:    {growth * 100:.1f} % within a run")
        traceback_lines = (workdir / "service.log").read_text(errors="replace").count("Traceback")
        print(f"tracebacks in the log: {traceback_lines}")
        ok = not lost and five_xx == 0 and p95 <= 100 and growth <= 0.20
        print("targets (0 lost, 0 5xx, p95 <= 100 ms, RSS growth <= 20 %):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        service.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
