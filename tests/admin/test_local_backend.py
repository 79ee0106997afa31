"""decap-server for `make admin`: started on 127.0.0.1 only, in fs mode, stopped with the server;
a clear Dutch message when it cannot start."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest
from testkit import REPO, git, make_site
from testkit.serving import free_port

from wijknet.admin.local_backend import LocalBackendError, answers, backend_url, start_local_backend


def _listens(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the test's own server
        return json.loads(response.read().decode("utf-8"))


def test_decap_server_listens_on_127_0_0_1_only_writes_the_work_tree_and_stops(tmp_path):
    root = make_site(tmp_path / "site", content=REPO / "tests" / "fixtures" / "amsterdam" / "content", commit="Begin")
    port = free_port()
    backend = start_local_backend(root, port, node_modules=REPO / "node_modules")
    try:
        assert backend.url == backend_url(port) == f"http://127.0.0.1:{port}/api/v1"
        assert _listens("127.0.0.1", port)
        assert not _listens("127.0.0.2", port), "bound to 127.0.0.1, not to every address"
        info = _post(backend.url, {"action": "info"})
        assert info["type"] == "local_fs" and info["publish_modes"] == ["simple"]
        path = "content/initiatieven/taalcafe-banne.md"
        text = (root / path).read_text(encoding="utf-8").replace("gecontroleerd: ", "gecontroleerd: 2026-11-23\n#", 1)
        _post(backend.url, {"action": "persistEntry", "params": {
            "branch": "main", "entry": {"slug": "taalcafe-banne", "path": path, "raw": text}, "assets": [],
            "options": {"commitMessage": "x", "useWorkflow": False, "status": "draft"}}})  # fmt: skip
        assert (root / path).read_text(encoding="utf-8") == text
        assert git(root, "status", "--porcelain").strip() == f"M {path}"  # saved, not committed
        with pytest.raises(LocalBackendError, match=f"poort {port} is al in gebruik"):
            start_local_backend(root, port, node_modules=REPO / "node_modules")
    finally:
        backend.stop()
    assert not answers(backend.url, timeout=1)


def test_a_missing_decap_server_is_named_with_what_to_do(tmp_path):
    with pytest.raises(LocalBackendError, match=r"decap-server ontbreekt .*make install"):
        start_local_backend(tmp_path, free_port(), node_modules=tmp_path / "node_modules")
