"""The browser libraries are served minified where their npm packages ship a minified build
(``wijknet/build.py``: VENDOR_FILES, MAP_VENDOR_FILES, VENDOR_FOLDERS): what a phone loads on
the search page and the map is the smallest the package offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import REPO

from wijknet.build import MAP_VENDOR_FILES, VENDOR_FILES, vendor_names

NODE_MODULES = REPO / "node_modules"


def minified_variants(node_modules: Path, name: str) -> list[str]:
    """The minified builds the package of ``name`` ships in its place (none: ``name`` is
    the smallest there is). npm packages name them ``x.min.js`` beside ``x.js`` (lunr) or in
    a ``min/`` folder (lunr-languages), or ship the source as ``x-src.js`` beside the
    minified ``x.js`` (Leaflet and its marker clusters)."""
    folder, _, file = name.rpartition("/")
    stem, _, suffix = file.rpartition(".")
    if stem.endswith(".min"):
        return []
    package = name.split("/", 2)[0] if not name.startswith("@") else "/".join(name.split("/", 2)[:2])
    candidates = [f"{folder}/{stem}.min.{suffix}", f"{package}/min/{stem}.min.{suffix}", f"{package}/dist/{stem}.min.{suffix}"]
    if stem.endswith("-src"):
        candidates.append(f"{folder}/{stem[: -len('-src')]}.{suffix}")
    return [candidate for candidate in dict.fromkeys(candidates) if (node_modules / candidate).is_file()]


def is_minified_build(node_modules: Path, name: str) -> bool:
    """``name`` is a minified build its package ships beside the readable source."""
    folder, _, file = name.rpartition("/")
    stem, _, suffix = file.rpartition(".")
    return stem.endswith(".min") or (node_modules / f"{folder}/{stem}-src.{suffix}").is_file()


def looks_minified(text: str) -> bool:
    """Long lines, little white space: the shape of a minifier's output."""
    lines = text.splitlines() or [""]
    return len(text) / len(lines) > 200 and text.count(" ") / max(1, len(text)) < 0.12


def test_every_vendored_file_is_the_minified_build_where_the_package_ships_one():
    names = [name for name in vendor_names(NODE_MODULES) if name.endswith((".js", ".css"))]
    assert set(MAP_VENDOR_FILES) <= set(VENDOR_FILES)
    assert {name for name in VENDOR_FILES if name.endswith(".js")} <= set(names)
    unminified = {name: minified_variants(NODE_MODULES, name) for name in names}
    assert {name: found for name, found in unminified.items() if found} == {}


def test_the_libraries_pages_load_are_minified_builds_and_look_it():
    scripts = [name for name in VENDOR_FILES if name.endswith(".js")]
    assert sorted(scripts) == sorted(
        [
            "lunr/lunr.min.js",
            "lunr-languages/min/lunr.stemmer.support.min.js",
            "lunr-languages/min/lunr.nl.min.js",
            "leaflet/dist/leaflet.js",
            "leaflet.markercluster/dist/leaflet.markercluster.js",
        ]
    )
    for name in scripts:
        assert is_minified_build(NODE_MODULES, name), name
        assert looks_minified((NODE_MODULES / name).read_text(encoding="utf-8")), name


@pytest.mark.parametrize(
    "name, variants",
    [
        ("lunr/lunr.js", ["lunr/lunr.min.js"]),
        ("lunr-languages/lunr.nl.js", ["lunr-languages/min/lunr.nl.min.js"]),
        ("leaflet/dist/leaflet-src.js", ["leaflet/dist/leaflet.js"]),
        ("leaflet.markercluster/dist/leaflet.markercluster-src.js", ["leaflet.markercluster/dist/leaflet.markercluster.js"]),
        ("leaflet/dist/leaflet.css", []),  # Leaflet ships no minified stylesheet
        ("lunr/lunr.min.js", []),
    ],
)
def test_the_rule_finds_the_minified_build_of_a_readable_one(name, variants):
    assert minified_variants(NODE_MODULES, name) == variants
    assert not looks_minified((NODE_MODULES / "lunr" / "lunr.js").read_text(encoding="utf-8"))
