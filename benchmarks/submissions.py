"""Benchmark: 200 submissions at concurrency 20 to a real uvicorn process (local forge).

Each client thread first gets a form token (``GET /api/inzendingen/token``) and waits the
minimum fill time once, as a browser does while someone fills in the form; the token then
serves all its submissions. Prints the p50/p95 latency until the 202 answer, the time
until every submission is a branch, and how many were lost. Targets on a 2-core machine:
p95 <= 100 ms, all branches within 60 s, 0 lost.

    .venv/bin/python benchmarks/submissions.py [--count 200] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("buurtbuik-dapperbuurt", "taalcafe-noord", "repair-cafe-de-pijp")


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="b@example.org", GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="b@example.org")
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    shutil.copytree(ROOT / "taxonomy", root / "taxonomy")
    entries = root / "content" / "initiatieven"
    entries.mkdir(parents=True)
    for slug in SAMPLES:
        shutil.copy(ROOT / "content" / "initiatieven" / f"{slug}.md", entries / f"{slug}.md")
    (root / ".gitignore").write_text(".submissions/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Begin")
    return root


def submission(number: int) -> dict:
    return {
        "titel": f"Buurtproject nummer {number}",
        "soort": "initiatief",
        "samenvatting": "Een proefinzending voor de benchmark van de inzendingendienst.",
        "themas": ["ontmoeting"],
        "werkgebied": ["dapperbuurt"],
        "contact": {"email": f"project{number}@buurt.example"},
        "beschrijving": "Iedereen is welkom.",
    }


def branch_count(repo: Path) -> set[str]:
    out = git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/inzending/")
    return {line for line in out.splitlines() if line}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wijknet-bench-"))
    repo = make_repo(workdir / "site")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "WIJKNET_REPO": str(repo), "WIJKNET_RATE_LIMIT": "1000000/60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "wijknet.cli", "submissions", "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=str(repo),
    )
    url = f"http://127.0.0.1:{port}/api/inzendingen"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/bestaat-niet", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("de dienst startte niet")
                time.sleep(0.1)

        # http.client with one kept-alive connection per thread: a light client, so the
        # numbers measure the service rather than the benchmark's own HTTP library.
        local = threading.local()

        def connect() -> http.client.HTTPConnection:
            connection = getattr(local, "connection", None)
            if connection is None:
                connection = local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", "/api/inzendingen/token")
                answer = json.loads(connection.getresponse().read())
                local.token, local.usable_at = answer["token"], time.monotonic() + answer["wait_seconds"]
            return connection

        def post(number: int) -> tuple[int, dict]:
            connection = connect()
            time.sleep(max(0.0, local.usable_at - time.monotonic()))  # only before the first post
            body = json.dumps({**submission(number), "token": local.token}).encode()
            connection.request("POST", "/api/inzendingen", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            return response.status, json.loads(response.read())

        def send(number: int) -> tuple[float, int, dict]:
            started = time.perf_counter()
            status, body = post(number)
            return time.perf_counter() - started, status, body

        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda n: post(-1 - n), range(args.concurrency)))  # warm-up, one per connection
            started = time.perf_counter()
            results = list(pool.map(send, range(args.count)))
        sent = time.perf_counter() - started

        latencies = sorted(latency * 1000 for latency, _, _ in results)
        accepted = {body["branch"] for _, status, body in results if status == 202}
        failed = sum(1 for _, status, _ in results if status != 202)
        waited_from = time.perf_counter()
        while True:
            present = branch_count(repo)
            if accepted <= present or time.perf_counter() - started > args.timeout:
                break
            time.sleep(0.1)
        all_branches = time.perf_counter() - started
        lost = len(accepted - present) + failed
        p50 = statistics.median(latencies)
        p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
        print(f"submissions:           {args.count} at concurrency {args.concurrency} (loopback, uvicorn, local forge)")
        print(f"sent in:               {sent:.2f} s ({args.count / sent:.0f}/s)")
        print(f"latency to 202:        p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")
        print(f"all branches after:    {all_branches:.2f} s from the first request ({all_branches - (waited_from - started):.2f} s after the last 202)")
        print(f"lost:                  {lost} (non-202: {failed}, accepted without branch: {len(accepted - present)})")
        ok = p95 <= 100 and all_branches <= 60 and lost == 0
        print("targets (p95 <= 100 ms, <= 60 s, 0 lost):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
