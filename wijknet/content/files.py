"""Which files are entries: every ``*.md`` under the content folder.

Apart from the catalog so that a rebuild with nothing to do can list the entry files without
loading the content models (see ``source_state`` in :mod:`wijknet.build`).
"""

from __future__ import annotations

from pathlib import Path


def entry_files(content_dir: Path) -> list[Path]:
    """Every entry file under ``content_dir``, sorted."""
    if not content_dir.is_dir():
        return []
    # sorted as paths sort (part by part), compared as tuples: no Path method per comparison
    return sorted((path for path in content_dir.rglob("*.md") if path.is_file()), key=lambda path: path.parts)
