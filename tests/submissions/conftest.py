"""Fixtures for the submission service: a real git repository with a tiny site in a tmp folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
import pytest
from testkit import REPO, TEST_DATE, git, make_site

from wijknet.submissions.app import create_app
from wijknet.submissions.settings import ServiceSettings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TODAY = TEST_DATE
SAMPLE_ENTRIES = ("buurtbuik-dapperbuurt", "taalcafe-noord", "repair-cafe-de-pijp")


def make_site_repo(root: Path) -> Path:
    """site.yaml, the real taxonomy and three real entries, committed on ``main``."""
    entries = {slug: (REPO / "content" / "initiatieven" / f"{slug}.md").read_text(encoding="utf-8") for slug in SAMPLE_ENTRIES}
    return make_site(root, entries=entries, files={".gitignore": ".submissions/\n"}, commit="Begin")


@pytest.fixture
def site_repo(tmp_path: Path) -> Path:
    return make_site_repo(tmp_path / "site")


def settings_for(repo: Path, **overrides) -> ServiceSettings:
    values = dict(
        repo=repo,
        today=TODAY,
        rate_limit=(1000, 60.0),
        min_fill_seconds=3.0,
        retry_base_seconds=0.05,
        retry_max_seconds=0.5,
    )
    values.update(overrides)
    return ServiceSettings(**values)


@pytest.fixture
def make_client(site_repo):
    """``make(**overrides)`` gives a started TestClient of the service with ``settings_for``
    (``repo`` another site, ``publish=False`` without the publisher); all are closed after the test."""
    clients = []

    def make(repo: Path | None = None, publish: bool = True, **overrides):
        client = TestClient(create_app(settings_for(repo or site_repo, **overrides), start_publisher=publish))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def valid_submission(title: str = "Taalcafé Dapperbuurt", **extra) -> dict:
    """A valid JSON submission in the content format."""
    data = {
        "titel": title,
        "soort": "initiatief",
        "samenvatting": "Elke week samen Nederlands oefenen met buren, met koffie.",
        "themas": ["taal", "ontmoeting"],
        "werkgebied": ["dapperbuurt"],
        "contact": {"email": "taal@buurt.example", "telefoon": "020 123 4567"},
        "beschrijving": "Iedereen is welkom.\n\nJe hoeft je niet aan te melden.",
        "inzender": {"naam": "Anna de Vries", "email": "anna@example.org"},
    }
    data.update(extra)
    return data


def branches(repo: Path) -> list[str]:
    out = git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/inzending/")
    return sorted(line for line in out.splitlines() if line)


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    """``wijknet submissions`` as a real uvicorn subprocess (killable, restartable)."""

    def __init__(self, repo: Path, env: dict[str, str] | None = None):
        self.repo = repo
        self.port = free_port()
        self.env = {
            **os.environ,
            "WIJKNET_REPO": str(repo),
            "WIJKNET_DATE": TODAY.isoformat(),
            "WIJKNET_RATE_LIMIT": "100000/60",
            "WIJKNET_RETRY_BASE_SECONDS": "0.05",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServiceProcess":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wijknet.cli", "submissions", "--port", str(self.port), "--log-level", "warning"],
            env=self.env,
            cwd=str(self.repo),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                httpx.get(f"{self.url}/api/inzendingen/bestaat-niet", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("service did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
