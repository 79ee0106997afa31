"""The local forge and review on real git repositories; the service as a real uvicorn process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from testkit import REPO

from wijknet.submissions.forges.local import LocalForge
from wijknet.submissions.intake import Candidate
from wijknet.submissions.spool import Spool

from .conftest import TODAY, ServiceProcess, branches, git, valid_submission, wait_for


@pytest.fixture
def service(site_repo):
    processes = []

    def start(env=None):
        process = ServiceProcess(site_repo, env).start()
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.stop()


def test_fifty_concurrent_submissions_give_fifty_branches(site_repo, service):
    main_before = git(site_repo, "rev-parse", "main")
    running = service()
    titles = [f"Buurtinitiatief nummer {number}" for number in range(50)]
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(50) as pool:
        responses = list(pool.map(lambda t: client.post(f"{running.url}/api/inzendingen", json={**valid_submission(t), "token": running.token()}), titles))
    assert [r.status_code for r in responses] == [202] * 50
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 50
    found = wait_for(lambda: (b := branches(site_repo)) and len(b) >= 50 and b, timeout=60)
    assert sorted(found) == sorted(r.json()["branch"] for r in responses)
    assert git(site_repo, "rev-parse", "main") == main_before
    assert git(site_repo, "status", "--porcelain") == ""
    for branch in found[:5]:
        assert git(site_repo, "rev-list", "--count", f"main..{branch}").strip() == "1"
    with httpx.Client(timeout=10) as client:
        states = {client.get(f"{running.url}/api/inzendingen/{i}").json()["status"] for i in ids}
    assert states == {"ingediend"}


def test_same_title_at_once_gets_distinct_slugs(site_repo, service):
    running = service()
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(5) as pool:
        responses = list(
            pool.map(
                lambda n: client.post(
                    f"{running.url}/api/inzendingen",
                    json={**valid_submission("Samen koken", organisatie=f"Club {n}"), "token": running.token()},
                ),
                range(5),
            )
        )
    slugs = sorted(r.json()["branch"].removeprefix("inzending/").rsplit("-", 1)[0] for r in responses)
    assert slugs == ["samen-koken", "samen-koken-2", "samen-koken-3", "samen-koken-4", "samen-koken-5"]
    wait_for(lambda: len(branches(site_repo)) == 5)


def test_killed_before_publishing_is_published_after_restart(site_repo, service):
    # the base branch is missing, so the first run cannot publish: a forge that is down
    first = service({"WIJKNET_BRANCH": "bestaat-niet"})
    response = httpx.post(f"{first.url}/api/inzendingen", json={**valid_submission(), "token": first.token()}, timeout=10)
    assert response.status_code == 202
    submission_id = response.json()["id"]
    first.kill()  # SIGKILL: no clean shutdown
    assert branches(site_repo) == []
    second = service()
    wait_for(lambda: branches(site_repo), timeout=30)
    status = httpx.get(f"{second.url}/api/inzendingen/{submission_id}", timeout=10).json()
    assert status["status"] == "ingediend"
    assert branches(site_repo) == [status["branch"]]


def test_killed_right_after_202_publishes_exactly_once(site_repo, service):
    first = service()
    response = httpx.post(f"{first.url}/api/inzendingen", json={**valid_submission(), "token": first.token()}, timeout=10)
    assert response.status_code == 202
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(10)
    service()
    wait_for(lambda: branches(site_repo), timeout=30)
    import time

    time.sleep(0.5)
    assert len(branches(site_repo)) == 1


def test_a_form_token_stays_valid_after_a_restart(site_repo, service):
    """The secret that signs form tokens is kept in the service's state folder: a form shown
    before a ``kill -9`` can be sent after it."""
    first = service()
    token = first.token()
    first.kill()
    second = service({"SUBMISSIONS_URL": first.url})
    response = httpx.post(f"{second.url}/api/inzendingen", json={**valid_submission(), "token": token}, timeout=10)
    assert response.status_code == 202, response.text
    secret = site_repo / ".submissions" / "form-token.key"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert git(site_repo, "status", "--porcelain") == ""  # never committed


def test_publishing_twice_reuses_the_branch(site_repo):
    spool = Spool(site_repo / ".submissions" / "spool.sqlite3")
    candidate = Candidate("k", "nieuw", "proef", "Proef", "initiatief", ("oost",), "---\ntitel: Proef\n---\n", {})
    stored, _ = spool.add(candidate)
    forge = LocalForge(site_repo, "content/initiatieven", "main", "Test", "t@example.org")
    first = forge.publish(stored)
    second = forge.publish(stored)
    assert first.branch == second.branch and branches(site_repo) == [first.branch]


def wijknet(repo, *args, env=None):
    environment = {**os.environ, "WIJKNET_REPO": str(repo), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "review", "--date", TODAY.isoformat(), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(REPO),
    )


def test_review_lists_merges_and_rejects(site_repo, service):
    running = service()
    ids = []
    for title in ("Koffie op dinsdag", "Wandelen op zondag"):
        data = {**valid_submission(title), "token": running.token()}
        ids.append(httpx.post(f"{running.url}/api/inzendingen", json=data, timeout=10).json()["id"])
    wait_for(lambda: len(branches(site_repo)) == 2)
    listed = wijknet(site_repo)
    assert listed.returncode == 0, listed.stderr
    assert "Koffie op dinsdag" in listed.stdout and "geldig" in listed.stdout
    assert "anna@example.org" in listed.stdout  # moderator-only contact, from the spool
    import json

    data = json.loads(wijknet(site_repo, "--format", "json").stdout)
    assert [item["valid"] for item in data] == [True, True]
    main_before = git(site_repo, "rev-parse", "main").strip()
    merged = wijknet(site_repo, "--merge", ids[0])
    assert merged.returncode == 0, merged.stderr
    assert git(site_repo, "rev-parse", "main").strip() != main_before
    assert git(site_repo, "cat-file", "-e", "main:content/initiatieven/koffie-op-dinsdag.md") == ""
    assert (site_repo / "content/initiatieven/koffie-op-dinsdag.md").is_file()  # main is checked out: tree follows
    assert wijknet(site_repo, "--reject", ids[1]).returncode == 2  # a reason is required
    rejected = wijknet(site_repo, "--reject", ids[1], "--reason", "Dubbel")
    assert rejected.returncode == 0, rejected.stderr
    assert branches(site_repo) == []
    statuses = {i: httpx.get(f"{running.url}/api/inzendingen/{i}", timeout=10).json()["status"] for i in ids}
    assert statuses == {ids[0]: "samengevoegd", ids[1]: "afgewezen"}
    assert "Er wachten geen inzendingen" in wijknet(site_repo).stdout
    assert wijknet(site_repo, "--merge", "onbekend").returncode == 1
