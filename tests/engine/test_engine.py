"""The engine's contracts: hooks are declared once and checked, the build cache has declared
namespaces (each documented with what it depends on), writes atomically and keys by code."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest

from wijknet.engine import cache as cache_module
from wijknet.engine import hooks
from wijknet.engine.cache import NAMESPACES, BuildCache
from wijknet.engine.registry import Provider

REPO = Path(__file__).resolve().parents[2]


def test_every_hook_is_typed_and_documented():
    for name, spec in hooks.HOOKS.items():
        signature = inspect.signature(spec)
        assert spec.__doc__ and len(spec.__doc__.split()) > 8, name
        assert signature.return_annotation is not inspect.Signature.empty, name
        assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values()), name
    assert {"entry_jsonld", "entry_sections", "home_sections"} <= set(hooks.HOOKS)


def test_hooks_are_called_in_provider_order_and_only_declared_ones():
    class Build:
        providers = (
            Provider("a", lambda build: [], hooks={"home_sections": lambda build: [hooks.Section("a.html")]}),
            Provider("b", lambda build: []),
            Provider("c", lambda build: [], hooks={"home_sections": lambda build: [hooks.Section("c.html")]}),
        )

    build = Build()
    assert hooks.call(build, hooks.home_sections, build) == [[hooks.Section("a.html")], [hooks.Section("c.html")]]

    def home_sections(build):  # same name, not the declaration
        return []

    with pytest.raises(ValueError):
        hooks.call(build, home_sections, build)


def test_every_namespace_is_documented_with_what_it_depends_on():
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = doc[doc.index("## How a build runs") :]
    for namespace in NAMESPACES:
        assert re.search(rf"^\|[^|\n]*`{re.escape(namespace)}`", table, re.M), namespace


def test_undeclared_namespaces_are_refused(tmp_path):
    with pytest.raises(KeyError):
        BuildCache(tmp_path).store("made-up")
    with pytest.raises(KeyError):
        BuildCache(None).keyed("made-up", "key", lambda: 1)


def test_values_survive_a_build_and_say_what_they_depend_on(tmp_path):
    first = BuildCache(tmp_path)
    first.store("stems", "nltk 1").put("woord", "woord")
    first.save()
    again = BuildCache(tmp_path).store("stems", "nltk 1")
    assert again.get("woord") == "woord" and again.depends_on == ("nltk 1",)
    assert BuildCache(tmp_path).store("stems", "nltk 2").get("woord") is None  # other dependencies: empty


def test_a_new_code_version_starts_every_namespace_empty(tmp_path, monkeypatch):
    first = BuildCache(tmp_path)
    first.store("stems", "nltk 1").put("woord", "woord")
    first.save()
    monkeypatch.setattr(cache_module, "code_version", lambda: "another-version-of-the-code")
    assert BuildCache(tmp_path).store("stems", "nltk 1").get("woord") is None


def test_writes_are_atomic(tmp_path, monkeypatch):
    cache = BuildCache(tmp_path)
    cache.store("stems", "nltk 1").put("woord", "woord")
    cache.save()
    path = tmp_path / "memo" / "stems.pickle"
    before = path.read_bytes()

    def broken_replace(source, target):
        raise OSError("disk full")

    later = BuildCache(tmp_path)
    later.store("stems", "nltk 1").put("ander", "ander")
    monkeypatch.setattr(cache_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        later.save()
    assert path.read_bytes() == before and [p.name for p in path.parent.iterdir()] == ["stems.pickle"]


def test_without_a_folder_nothing_is_remembered():
    cache = BuildCache(None)
    calls = []
    assert cache.keyed("cards", "key", lambda: calls.append(1) or "x") == "x"
    assert cache.keyed("cards", "key", lambda: calls.append(1) or "x") == "x"
    assert len(calls) == 2 and not cache.active


def test_validated_entries_are_checked_against_the_build_date(tmp_path):
    class Entry:
        checked = dt.date(2026, 11, 23)

    store = BuildCache(tmp_path).entries(tmp_path, tmp_path)
    store.put("key", Entry())
    assert store.get("key", dt.date(2026, 11, 23)) is not None
    assert store.get("key", dt.date(2026, 11, 22)) is None  # checked in the future on that day
