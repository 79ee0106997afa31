"""Pinned installs: ``requirements/lock.txt`` pins every Python package, with hashes, and the
environment the tests run in has exactly those versions."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from testkit import REPO

LOCK = REPO / "requirements" / "lock.txt"


def locked() -> dict[str, list[tuple[str, Marker | None, int]]]:
    """Package name → [(version, marker, number of hashes)] from the lock file."""
    pins: dict[str, list[tuple[str, Marker | None, int]]] = {}
    text = LOCK.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", text):
        head = block.split("\\", 1)[0].strip()
        if not head or head.startswith("#"):
            continue
        requirement = Requirement(head)
        [spec] = requirement.specifier  # exactly one ==
        assert spec.operator == "==", head
        hashes = block.count("--hash=sha256:")
        pins.setdefault(canonicalize_name(requirement.name), []).append((spec.version, requirement.marker, hashes))
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        names += extra
    names += [line for line in (REPO / "requirements" / "build.in").read_text().splitlines() if line and not line.startswith("#")]
    return [Requirement(name) for name in names]


def _applies(marker: Marker | None) -> bool:
    return marker is None or marker.evaluate()


def test_every_pin_has_hashes():
    for name, pins in locked().items():
        for version, _marker, hashes in pins:
            assert hashes >= 1, f"{name}=={version} has no hash"


def test_every_declared_dependency_is_locked_within_its_range():
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements/lock.txt: run `make lock`"
        for version, marker, _hashes in pins[name]:
            if _applies(marker):
                assert requirement.specifier.contains(version, prereleases=True), (
                    f"{name}=={version} in the lock is outside {requirement.specifier}: run `make lock`"
                )
        for extra in requirement.extras:  # e.g. pagefind[extended] brings its own binary package
            assert any(n.startswith(name) and n != name for n in pins), f"{requirement}: extra '{extra}' not locked"


def test_the_environment_has_exactly_the_locked_versions():
    """What `make install` installed is what the lock says, for every package that applies here."""
    wrong = []
    for name, pins in locked().items():
        wanted = [version for version, marker, _ in pins if _applies(marker)]
        if not wanted:
            continue  # e.g. colorama on Windows only
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name}: not installed, lock says {wanted[0]}")
            continue
        if installed not in wanted:
            wrong.append(f"{name}: installed {installed}, lock says {wanted[0]}")
    assert wrong == [], "\n".join(wrong) + "\nrun `make install`"


def test_make_install_uses_the_lock_with_hashes():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r requirements/lock.txt" in makefile
    assert "requirements/lock.txt" in makefile.split("$(VENV)/.installed:", 1)[1].split("\n", 1)[0]
