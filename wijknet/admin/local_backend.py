"""The desk's local back end: ``decap-server`` (npm) on 127.0.0.1, for ``wijknet serve --admin``
and ``make admin``.

It runs in ``fs`` mode: a save in the desk writes the file in the working tree, nothing is
committed (``git`` mode would commit everything uncommitted in the tree with
``--no-verify``). ``wijknet serve`` sees the change and rebuilds the site, so the moderator
sees the result at once; committing stays with the moderator.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from wijknet.dutch.analysis import find_node_modules

SERVER_SCRIPT = Path("decap-server") / "dist" / "index.js"
HOST = "127.0.0.1"


class LocalBackendError(RuntimeError):
    """decap-server cannot be started; the message says why, in Dutch."""


def backend_url(port: int) -> str:
    """The API address the desk talks to (``WIJKNET_LOCAL_BACKEND``)."""
    return f"http://{HOST}:{port}/api/v1"


def answers(url: str, timeout: float = 1.0) -> bool:
    """Whether a decap-server answers its ``info`` question at ``url``."""
    request = urllib.request.Request(
        url, data=json.dumps({"action": "info"}).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own loopback address
            found = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError):
        return False
    return isinstance(found, dict) and isinstance(found.get("repo"), str)


@dataclass
class LocalBackend:
    """A running decap-server; :meth:`stop` ends it."""

    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_local_backend(repo: Path, port: int, *, node_modules: Path | None = None, wait: float = 30.0) -> LocalBackend:
    """Start decap-server for ``repo`` on 127.0.0.1:``port`` and wait until it answers."""
    folder = node_modules or find_node_modules(repo)
    script = folder / SERVER_SCRIPT
    if not script.is_file():
        raise LocalBackendError(f"decap-server ontbreekt ({script}): voer eerst `make install` uit")
    url = backend_url(port)
    if answers(url, timeout=0.5):
        raise LocalBackendError(f"poort {port} is al in gebruik; kies een andere met --admin-port")
    environ = {
        **{key: value for key, value in os.environ.items() if not key.startswith("GIT_")},
        "PORT": str(port),
        "BIND_HOST": HOST,
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(Path(repo).resolve()),
        "LOG_LEVEL": "warn",
    }
    try:
        process = subprocess.Popen(["node", str(script)], cwd=str(repo), env=environ, stdin=subprocess.DEVNULL)
    except OSError as error:
        raise LocalBackendError(f"node kan niet starten ({error.strerror or error}): installeer Node.js 20 of nieuwer") from None
    backend = LocalBackend(process, url)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalBackendError(f"decap-server stopte meteen (code {process.returncode})")
        if answers(url):
            return backend
        time.sleep(0.2)
    backend.stop()
    raise LocalBackendError(f"decap-server antwoordde niet binnen {wait:.0f} s op {url}")
