"""Checks for news articles, before Pelican reads them.

Pelican skips an article it cannot use with a log line (no date, an unknown ``status``)
and the build still succeeds. Here every news file is checked first; a problem stops the
build with the file, the field and what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from wijknet.news import NEWS_OPTIONAL as OPTIONAL
from wijknet.news import NEWS_REQUIRED as REQUIRED
from wijknet.news import NEWS_STATUSES as STATUSES

_KEY = re.compile(r"^([A-Za-z][A-Za-z_-]*):\s*(.*)$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class NewsProblem:
    """One problem in one news file."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


def news_files(folder: Path) -> list[Path]:
    """The news articles in ``folder`` (Markdown files), sorted."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*.md") if path.is_file())


def read_metadata(path: Path) -> dict[str, tuple[int, str]]:
    """The ``Key: value`` lines at the top of a Markdown article: key → (line, value)."""
    metadata: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            break
        found = _KEY.match(line)
        if found is None:
            if line[:1].isspace() and metadata:  # a continuation of the value above
                continue
            break
        metadata[found.group(1).lower()] = (number, found.group(2).strip())
    return metadata


def check_file(path: Path, shown: Path) -> list[NewsProblem]:
    """Every problem in one news file; ``shown`` is how the file is named in messages."""
    try:
        metadata = read_metadata(path)
    except (OSError, UnicodeDecodeError) as error:
        return [NewsProblem(shown, 1, "-", f"het bestand is niet te lezen als UTF-8-tekst ({error})")]
    problems = []
    for key in REQUIRED:
        if not metadata.get(key, (0, ""))[1]:
            problems.append(NewsProblem(shown, 1, key, f"ontbreekt; zet bovenaan een regel '{key.capitalize()}: ...'"))
    for key, (line, value) in metadata.items():
        if key not in REQUIRED + OPTIONAL:
            allowed = ", ".join(name.capitalize() for name in REQUIRED + OPTIONAL)
            problems.append(NewsProblem(shown, line, key, f"onbekend veld; gebruik een van: {allowed}"))
        elif key in ("date", "modified") and value and not _is_date(value):
            problems.append(NewsProblem(shown, line, key, f"'{value}' is geen datum; schrijf JJJJ-MM-DD of JJJJ-MM-DD UU:MM"))
        elif key == "status" and value not in STATUSES:
            problems.append(NewsProblem(shown, line, key, f"'{value}' is geen status; gebruik {', '.join(STATUSES)}"))
        elif key == "slug" and not _SLUG.match(value):
            problems.append(NewsProblem(shown, line, key, f"'{value}' mag alleen kleine letters, cijfers en streepjes bevatten"))
    return problems


def check_news(folder: Path, display_root: Path | None = None) -> list[NewsProblem]:
    """Every problem in every news file under ``folder``."""
    problems = []
    for path in news_files(folder):
        shown = path
        if display_root is not None:
            try:
                shown = path.resolve().relative_to(display_root.resolve())
            except ValueError:
                shown = path
        problems += check_file(path, shown)
    return problems


def _is_date(value: str) -> bool:
    for pattern in _DATE_FORMATS:
        try:
            dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return True
    return False
