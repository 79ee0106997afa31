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
from bs4 import BeautifulSoup
from testkit import REPO, TEST_DATE, ManualClock, git, make_site

from wijknet.submissions.app import API_PATH, TOKEN_PATH, create_app
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


class ServiceClient(TestClient):
    """A TestClient of the service, whose clock (``client.clock``) only the test moves on."""

    clock: ManualClock

    def token(self) -> str:
        """A form token from the service, with the clock moved on by the minimum fill time."""
        response = self.get(TOKEN_PATH)
        assert response.status_code == 200, response.text
        self.clock.advance(response.json()["wait_seconds"])
        return response.json()["token"]

    def submit(self, data: dict, *, form: bool = False, **kwargs):
        """POST ``data`` with a token the service takes: as JSON, or as a form with ``form``."""
        data = {"token": self.token(), **data}
        return self.post(API_PATH, **({"data": data} if form else {"json": data}), **kwargs)


@pytest.fixture
def make_client(site_repo):
    """``make(**overrides)`` gives a started :class:`ServiceClient` of the service with
    ``settings_for`` and a :class:`ManualClock` (``repo`` another site, ``publish=False``
    without the publisher); all are closed after the test."""
    clients = []

    def make(repo: Path | None = None, publish: bool = True, **overrides):
        clock = overrides.setdefault("clock", ManualClock())
        client = ServiceClient(create_app(settings_for(repo or site_repo, **overrides), start_publisher=publish))
        client.clock = clock
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


def form_pairs(page: BeautifulSoup) -> list[tuple[str, str]]:
    """What a browser without JavaScript would post from the form on ``page``, unchanged."""
    pairs = []
    for element in page.select("#formulier input, #formulier textarea"):
        name = element.get("name")
        if not name:
            continue
        kind = element.get("type", "text")
        if kind in ("checkbox", "radio"):
            if element.has_attr("checked"):
                pairs.append((name, element["value"]))
        elif element.name == "textarea":
            pairs.append((name, element.get_text()))
        else:
            pairs.append((name, element.get("value", "")))
    return pairs


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
    """``wijknet submissions`` as a real uvicorn subprocess (killable, restartable), with its
    own address as its public URL and no minimum fill time unless ``env`` sets one."""

    def __init__(self, repo: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.repo = repo
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "WIJKNET_REPO": str(repo),
            "WIJKNET_DATE": TODAY.isoformat(),
            "WIJKNET_RATE_LIMIT": "100000/60",
            "WIJKNET_RETRY_BASE_SECONDS": "0.05",
            "WIJKNET_MIN_FILL_SECONDS": "0",
            "SUBMISSIONS_URL": self.url,
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

    def token(self) -> str:
        """A form token from the running service (usable at once without a minimum fill time)."""
        response = httpx.get(self.url + TOKEN_PATH, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["token"]

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
