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
