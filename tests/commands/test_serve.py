"""``wijknet serve``: its build step reports setup problems, and its watcher sees the right files."""

from __future__ import annotations

from pathlib import Path

from testkit import TEST_DATE, make_site

from wijknet.commands.serve import build_once, snapshot

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
