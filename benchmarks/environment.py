"""The environment the benchmarks run ``wijknet build`` in.

An installed wijknet runs from compiled bytecode: ``pip install`` writes the ``.pyc`` files,
and a checkout writes them on its first run. A machine that sets ``PYTHONDONTWRITEBYTECODE``
(this project's development machine does) makes every build process compile every module
it imports from source again. That cost grows with the size of the code, not with the work
of the build: on 2026-12-03 an entry edit at 1,000 entries compiled 87 modules in 0.14 s
(of 2.0 s). So the benchmarks time builds with bytecode written and used, and compile the
checkout first, outside the timings.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def build_environment(cache: Path) -> dict[str, str]:
    """``os.environ`` with the build cache at ``cache`` and bytecode written and used."""
    env = dict(os.environ, WIJKNET_CACHE_DIR=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_checkout(checkout: Path) -> None:
    """Write the bytecode of a checkout's code (``wijknet/`` and the Pelican plugin), as an
    install would, so that no timed build pays for it (``compileall`` writes bytecode
    whatever ``PYTHONDONTWRITEBYTECODE`` says)."""
    folders = [str(checkout / name) for name in ("wijknet", "plugins") if (checkout / name).is_dir()]
    subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-m", "compileall", "-q", *folders], check=True, stdout=subprocess.DEVNULL)
