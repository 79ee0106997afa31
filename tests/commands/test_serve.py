"""``wijknet serve``: its build step reports setup problems, its watcher sees the right files,
and its service takes posts from the server's own addresses."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from testkit import TEST_DATE, make_site

from wijknet.commands.serve import build_once, make_app, own_origins, serve_settings, snapshot

with warnings.catch_warnings():  # starlette's notice about httpx, as in the service tests
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from .conftest import TAXONOMY_PROBLEM


def test_serve_build_once_prints_setup_problems_on_stderr(tmp_path, capsys, broken_taxonomy):
    root = make_site(tmp_path / "site", taxonomy=broken_taxonomy)
    assert build_once(root, tmp_path / "output", TEST_DATE) is False
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "De site is niet opnieuw gebouwd; los eerst dit op:" in captured.err
    assert TAXONOMY_PROBLEM in captured.err


def test_snapshot_takes_watched_folders_and_skips_pycache(tmp_path):
    (tmp_path / "code" / "__pycache__").mkdir(parents=True)
    (tmp_path / "code" / "a.py").write_text("x = 1\n")
    (tmp_path / "code" / "__pycache__" / "a.pyc").write_bytes(b"\0")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "b.md").write_text("b\n")
    assert sorted(Path(name).name for name in snapshot(tmp_path, ("code",))) == ["a.py"]
    assert sorted(Path(name).name for name in snapshot(tmp_path)) == ["b.md"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000")),
        ("0.0.0.0", ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000")),
        ("192.168.1.10", ("http://192.168.1.10:8000",)),
        ("fe80::1", ("http://[fe80::1]:8000",)),
    ],
)
def test_serve_knows_the_addresses_a_browser_reaches_it_at(host, expected):
    assert own_origins(host, 8000) == expected


def test_serve_takes_posts_from_its_own_address_and_not_from_a_forged_host(tmp_path, monkeypatch):
    """The service behind ``wijknet serve`` allows its own address because serve configures
    it, not because a request names it in ``Host``."""
    monkeypatch.setenv("SUBMISSIONS_URL", "/")
    root = make_site(tmp_path / "site")
    settings = serve_settings(root, "127.0.0.1", 8000, TEST_DATE, {"WIJKNET_ALLOWED_ORIGINS": "https://extra.example"})
    assert settings.allowed_origins == ("https://extra.example", *own_origins("127.0.0.1", 8000))
    with TestClient(make_app(settings, tmp_path / "output")) as client:
        for origin in ("http://127.0.0.1:8000", "http://localhost:8000"):
            own = client.post("/api/inzendingen", json={}, headers={"Origin": origin})
            assert (own.status_code, own.json()["code"]) == (422, "invalid")  # past the origin check
        forged = client.post("/api/inzendingen", json={}, headers={"Origin": "http://kwaad.example:8000", "Host": "kwaad.example:8000"})
        assert (forged.status_code, forged.json()["code"]) == (403, "bad_origin")
