"""New and changed entries per month, read from the git history of the content folder.

Git is run as a subprocess (no git library). The first commit in which a path appears makes
it *new* in that month; every later commit that touches it makes it *changed* in that month
(an entry that is new and changed in the same month counts only as new). Dates are the
committer dates, as git recorded them (``%cs``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# One record per commit: a NUL, the hash and the committer date, then --name-status lines.
_FORMAT = "%x00%H %cs"


class HistoryUnavailable(Exception):
    """The folder is not in a git repository, or git is missing or failed."""


@dataclass(frozen=True)
class Change:
    """One commit touching one entry file."""

    path: str  # relative to the content folder, with forward slashes
    day: dt.date
    commit: str
    status: str  # "A", "M" or "D" as git reports it


@dataclass(frozen=True)
class MonthFigures:
    """Counts for one calendar month (``month`` is ``YYYY-MM``)."""

    month: str
    new: int
    changed: int
    removed: int

    def as_dict(self) -> dict[str, int | str]:
        return {"month": self.month, "new": self.new, "changed": self.changed, "removed": self.removed}


@dataclass(frozen=True)
class History:
    """Every change to entry files, oldest first."""

    changes: tuple[Change, ...]

    def monthly(self, until: dt.date | None = None) -> tuple[MonthFigures, ...]:
        """Figures per month from the first to the last month with a change, gaps filled with 0.

        With ``until``, months after that date's month are left out (a build for an earlier
        date shows the figures as they were then).
        """
        last = until.strftime("%Y-%m") if until else None
        seen: set[str] = set()
        new: dict[str, set[str]] = {}
        changed: dict[str, set[str]] = {}
        removed: dict[str, set[str]] = {}
        for change in self.changes:
            month = change.day.strftime("%Y-%m")
            if change.status == "D":
                removed.setdefault(month, set()).add(change.path)
            elif change.path not in seen:
                new.setdefault(month, set()).add(change.path)
            else:
                changed.setdefault(month, set()).add(change.path)
            seen.add(change.path)
        months = sorted(m for m in set(new) | set(changed) | set(removed) if last is None or m <= last)
        if not months:
            return ()
        figures = []
        for month in month_range(months[0], months[-1]):
            fresh = new.get(month, set())
            figures.append(
                MonthFigures(
                    month=month,
                    new=len(fresh),
                    changed=len(changed.get(month, set()) - fresh),
                    removed=len(removed.get(month, set())),
                )
            )
        return tuple(figures)


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _git(folder: Path, *args: str) -> str:
    executable = shutil.which("git")
    if executable is None:
        raise HistoryUnavailable("git is not installed")
    try:
        completed = subprocess.run(
            [executable, *args],
            cwd=folder,
            capture_output=True,
            check=False,
            # No pager and no translated messages; the user's config stays (safe.directory).
            env={**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat"},
        )
    except OSError as error:
        raise HistoryUnavailable(str(error)) from None
    if completed.returncode != 0:
        raise HistoryUnavailable(completed.stderr.decode("utf-8", "replace").strip())
    return completed.stdout.decode("utf-8", "replace")


def parse_log(text: str, suffix: str = ".md") -> History:
    """Parse ``git log --reverse --name-status --format=%x00%H %cs`` output."""
    changes: list[Change] = []
    for record in text.split("\0"):
        lines = [line for line in record.splitlines() if line.strip()]
        if not lines:
            continue
        commit, day = lines[0].split(" ", 1)
        date = dt.date.fromisoformat(day.strip())
        for line in lines[1:]:
            status, _, path = line.partition("\t")
            path = path.strip()
            if not path.endswith(suffix):
                continue
            changes.append(Change(path=path, day=date, commit=commit, status=status.strip()[:1]))
    return History(changes=tuple(changes))


def read_history(content_dir: Path | str) -> History:
    """The history of the entry files under ``content_dir``.

    Raises :class:`HistoryUnavailable` when the folder is not inside a git repository
    (or git is missing), so callers can show counts without history.
    """
    folder = Path(content_dir).resolve()
    if not folder.is_dir():
        raise HistoryUnavailable(f"{folder} is not a folder")
    inside, shallow = _git(folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository").split()
    if inside != "true":
        raise HistoryUnavailable(f"{folder} is not in a git work tree")
    if shallow == "true":  # a shallow clone would count every entry as new in its last month
        raise HistoryUnavailable(f"{folder} is in a shallow clone; fetch the whole history")
    output = _git(
        folder,
        "-c", "core.quotepath=off", "-c", "log.showSignature=false",
        "log", "--reverse", "--no-renames", "--name-status", "--relative", "--no-color",
        f"--format={_FORMAT}", "--", ".",
    )
    try:
        return parse_log(output)
    except ValueError as error:
        raise HistoryUnavailable(f"unexpected git output: {error}") from None
