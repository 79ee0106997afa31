"""Helpers for tests that build generated sites (``from build_support import ...``): the
benchmark's generator of valid entries, and a digest of every file in an output folder."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _generate_module():
    # loaded from its file: benchmarks/ is not a package, and the repository root need not
    # be on sys.path (it is with `python -m pytest`, not with the `pytest` script)
    spec = importlib.util.spec_from_file_location("wijknet_benchmark_generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate_named_entries(*args, **kwargs) -> list[tuple[str, str]]:
    """``benchmarks/generate.py``'s (slug, file text) pairs of valid entries."""
    return _generate_module().generate_named_entries(*args, **kwargs)


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }
