"""load_catalog with a cache: each file read once, bounded, and unreadable files reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijknet.content import catalog as catalog_module
from wijknet.engine.cache import EntryCache
from wijknet.content.catalog import load_catalog
from wijknet.safe_yaml import MAX_FILE_BYTES

from .conftest import TODAY, VALID, entry_text


def _load(folder: Path, context, cache: EntryCache):
    return load_catalog(folder, context.taxonomy, context.settings, TODAY, display_root=folder, cache=cache)


def test_unreadable_file_is_reported_not_raised(tmp_path, context, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    (content / "buurtbuik-oost.md").write_text(entry_text(VALID), encoding="utf-8")
    listed = catalog_module.entry_files
    # a file listed but gone before it is read (deleted mid-scan): reading it fails
    monkeypatch.setattr(catalog_module, "entry_files", lambda folder: [*listed(folder), folder / "weg.md"])
    result = _load(content, context, EntryCache(tmp_path / "cache" / "entries.pickle", "setup"))
    assert result.catalog is None
    assert [(problem.file, problem.code) for problem in result.problems] == [("weg.md", "unreadable")]


def test_oversized_file_reports_real_size(tmp_path, context):
    content = tmp_path / "content"
    content.mkdir()
    big = content / "groot-bestand.md"
    big.write_bytes(b"x" * (MAX_FILE_BYTES * 2))
    result = _load(content, context, EntryCache(tmp_path / "cache" / "entries.pickle", "setup"))
    assert [(problem.code, problem.params["size"]) for problem in result.problems] == [
        ("file_too_large", MAX_FILE_BYTES * 2)
    ]


def test_cache_miss_opens_each_file_once(tmp_path, context, monkeypatch):
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "buurtbuik-oost.md").write_text(entry_text(VALID), encoding="utf-8")
    (content / "sub" / "buurtbuik-west.md").write_text(entry_text(VALID), encoding="utf-8")
    opened: list[str] = []
    real_open = Path.open

    def counting_open(self, *args, **kwargs):
        if self.suffix == ".md":
            opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting_open)
    cache = EntryCache(tmp_path / "cache" / "entries.pickle", "setup")
    first = _load(content, context, cache)
    assert first.catalog is not None and first.problems == []
    assert sorted(opened) == ["buurtbuik-oost.md", "buurtbuik-west.md"]
    cache.save()
    again = _load(content, context, EntryCache(tmp_path / "cache" / "entries.pickle", "setup"))
    assert again.catalog is not None
    assert again.catalog.entries == first.catalog.entries
    assert again.catalog.digests == first.catalog.digests


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_validation_from_bytes_keeps_order(tmp_path, context, monkeypatch, jobs):
    monkeypatch.setattr(catalog_module, "PARALLEL_MINIMUM", 1)
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a-een", "b-twee", "c-drie"):
        (content / f"{name}.md").write_text(entry_text(VALID), encoding="utf-8")
    (content / "d-vier.md").write_bytes(b"x" * (MAX_FILE_BYTES + 10))
    result = load_catalog(
        content, context.taxonomy, context.settings, TODAY, display_root=content,
        cache=EntryCache(tmp_path / "cache" / "entries.pickle", "setup"), jobs=jobs,
    )
    assert [r.path for r in result.results] == ["a-een.md", "b-twee.md", "c-drie.md", "d-vier.md"]
    assert [p.code for p in result.problems] == ["file_too_large"]


def test_new_free_slug_looks_in_subfolders(tmp_path):
    from wijknet.commands.new import _free_slug

    (tmp_path / "oost").mkdir()
    (tmp_path / "oost" / "buurtmoestuin-zeeburg.md").write_text("x\n", encoding="utf-8")
    (tmp_path / "Buurtmoestuin-Zeeburg-2.md").write_text("x\n", encoding="utf-8")
    assert _free_slug(tmp_path, "Buurtmoestuin Zeeburg") == "buurtmoestuin-zeeburg-3"
    assert _free_slug(tmp_path / "leeg", "Buurtmoestuin Zeeburg") == "buurtmoestuin-zeeburg"


def _broken_taxonomy(tmp_path: Path) -> Path:
    import shutil

    from .conftest import REPO

    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(REPO / "taxonomy", taxonomy)
    (taxonomy / "soorten.yaml").write_text("- id: a\n  label: &x b\n", encoding="utf-8")
    return taxonomy


def test_build_with_broken_taxonomy_prints_its_problems(tmp_path, capsys, monkeypatch):
    from wijknet.cli import main

    from .conftest import REPO

    monkeypatch.setenv("WIJKNET_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "output"
    args = ["build", "--root", str(REPO), "--taxonomy", str(_broken_taxonomy(tmp_path)), "--output", str(output)]
    assert main([*args, "--date", TODAY.isoformat()]) == 1
    assert capsys.readouterr().out.startswith("taxonomy/soorten.yaml:2: -: Ankers (&naam) zijn niet toegestaan.")
    assert not output.exists()


def test_build_with_broken_settings_prints_its_problems(tmp_path, capsys, monkeypatch):
    from wijknet.cli import main

    monkeypatch.setenv("WIJKNET_CACHE_DIR", str(tmp_path / "cache"))
    settings = tmp_path / "site.yaml"
    settings.write_text("- geen mapping\n", encoding="utf-8")
    assert main(["build", "--settings", str(settings), "--output", str(tmp_path / "output")]) == 1
    assert capsys.readouterr().out == f"{settings}:1: -: Ongeldige waarde: expected a mapping.\n"
    assert not (tmp_path / "output").exists()


def test_serve_build_once_prints_setup_problems_on_stderr(tmp_path, capsys, monkeypatch):
    import shutil

    from wijknet.commands.serve import build_once

    from .conftest import REPO

    monkeypatch.setenv("WIJKNET_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(_broken_taxonomy(tmp_path), root / "taxonomy")
    assert build_once(root, tmp_path / "output", TODAY) is False
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "De site is niet opnieuw gebouwd; los eerst dit op:" in captured.err
    assert "taxonomy/soorten.yaml:2: -: Ankers (&naam) zijn niet toegestaan." in captured.err


def test_snapshot_takes_watched_folders_and_skips_pycache(tmp_path):
    from wijknet.commands.serve import snapshot

    (tmp_path / "code" / "__pycache__").mkdir(parents=True)
    (tmp_path / "code" / "a.py").write_text("x = 1\n")
    (tmp_path / "code" / "__pycache__" / "a.pyc").write_bytes(b"\0")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "b.md").write_text("b\n")
    assert sorted(Path(name).name for name in snapshot(tmp_path, ("code",))) == ["a.py"]
    assert sorted(Path(name).name for name in snapshot(tmp_path)) == ["b.md"]
