"""Generated valid entries for sites of any size: ``benchmarks/generate.py``'s generator."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from testkit.paths import REPO


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
