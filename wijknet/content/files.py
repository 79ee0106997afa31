"""The entry files and the error that reports invalid ones, without the content models.

Apart from the catalog so that a rebuild with nothing to do can list the entry files, and
``wijknet build`` can catch :class:`ContentError`, without loading the models (pydantic and
the e-mail and phone checks); see ``source_state`` in :mod:`wijknet.build`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wijknet.content.validation import Problem


class ContentError(Exception):
    """Invalid content: carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


def entry_files(content_dir: Path) -> list[Path]:
    """Every entry file under ``content_dir``, sorted."""
    if not content_dir.is_dir():
        return []
    # sorted as paths sort (part by part), compared as tuples: no Path method per comparison
    return sorted((path for path in content_dir.rglob("*.md") if path.is_file()), key=lambda path: path.parts)
