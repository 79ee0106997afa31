"""The rooms of docs/architecture.md hold: ``lint-imports`` keeps the contracts in
pyproject.toml (arrows point down, providers never import each other, no Pelican in
``wijknet/``, the plugin never imports the command line), and fails when one is broken."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the tree at ``root``, with ``plugins/`` importable like Pelican does."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "plugins")])}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_import_contracts_are_kept():
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contract_names_every_room_of_the_architecture():
    """The layers in pyproject.toml are the rooms the architecture document lists."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    rooms = [room.strip() for layer in layers for room in layer.split("|")]
    for room in rooms:
        assert f"`wijknet/{room}" in doc or f"`wijknet.{room}" in doc, room
    packages = {path.stem for path in (REPO / "wijknet").iterdir() if path.suffix == ".py" or (path / "__init__.py").is_file()}
    assert packages - {"__init__"} <= set(rooms), "a module of wijknet/ is in no room of the contract"


@pytest.mark.parametrize(
    "module, line, contract",
    [
        ("wijknet/matching/pages.py", "from wijknet.search import provider", "Arrows point down"),
        ("wijknet/site/pages.py", "import wijknet.exports.jsonld", "Arrows point down"),
        ("wijknet/engine/render.py", "import wijknet.site.pages", "Arrows point down"),
        ("wijknet/content/catalog.py", "import wijknet.engine.cache", "Arrows point down"),
        ("wijknet/engine/render.py", "import pelican", "never imports Pelican"),
        ("plugins/wijknet_pelican/generator.py", "from wijknet.commands.common import setup_problems", "never the command line"),
    ],
)
def test_a_deliberate_violation_fails(tmp_path, module, line, contract):
    root = tmp_path / "repo"
    for name in ("wijknet", "plugins"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    target = root / module
    target.write_text(f"{line}  # noqa\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    done = lint_imports(root)
    assert done.returncode != 0, done.stdout
    assert contract in done.stdout and "BROKEN" in done.stdout
