"""The spool: every accepted submission, stored durably before the service answers.

SQLite in WAL mode with ``synchronous=FULL``: once :meth:`Spool.add` returns, the row
survives a crash or a power cut. The publisher reads rows that are not yet published;
``wijknet review`` reads the moderator-only contact from here.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijknet.submissions.intake import Candidate

RECEIVED = "ontvangen"
SUBMITTED = "ingediend"
MERGED = "samengevoegd"
REJECTED = "afgewezen"
FAILED = "fout"
STATES = (RECEIVED, SUBMITTED, MERGED, REJECTED, FAILED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    areas TEXT NOT NULL,
    file_text TEXT NOT NULL,
    submitter TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    branch TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    failure TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_due ON submissions (status, next_attempt);
CREATE INDEX IF NOT EXISTS submissions_slug ON submissions (slug);
"""


def branch_name(slug: str, submission_id: str) -> str:
    return f"inzending/{slug}-{submission_id}"


@dataclass(frozen=True)
class Stored:
    """One row of the spool."""

    id: str
    dedupe_key: str
    action: str
    slug: str
    title: str
    kind: str
    areas: tuple[str, ...]
    file_text: str
    submitter: dict[str, str]
    summary: dict[str, Any]
    status: str
    branch: str
    url: str
    attempts: int
    next_attempt: float
    last_error: str
    reason: str
    failure: str  # '' or the kind of the last failure: tijdelijk, instelling, blijvend
    created: float
    updated: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Stored":
        data = dict(row)
        data["areas"] = tuple(json.loads(data["areas"]))
        data["submitter"] = json.loads(data["submitter"])
        data["summary"] = json.loads(data["summary"])
        return cls(**data)

    def public(self) -> dict[str, Any]:
        """What ``GET /api/inzendingen/<id>`` shows: never the submitter's contact."""
        return {"id": self.id, "status": self.status, "branch": self.branch, "url": self.url}


class Spool:
    """The SQLite spool. One connection, guarded by a lock; safe to share between threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._queue_lock = threading.Lock()
        self._queue: list[_PendingAdd] = []
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(submissions)")}
            if "failure" not in columns:  # a spool written before failures had a kind
                self._db.execute("ALTER TABLE submissions ADD COLUMN failure TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, sql: str, params: tuple = ()) -> Stored | None:
        row = self._db.execute(sql, params).fetchone()
        return Stored.from_row(row) if row else None

    def add(self, candidate: Candidate, taken_slugs: frozenset[str] | set[str] = frozenset()) -> tuple[Stored, bool]:
        """Store a new submission (committed and synced) or return the earlier identical one.

        New entries get a slug that is neither on main (``taken_slugs``) nor reserved by a
        submission still waiting; corrections keep the slug of the entry they change.

        Group commit: callers queue their row; whoever holds the write lock writes every
        queued row in one transaction, so one fsync covers many concurrent submissions.
        """
        pending = _PendingAdd(candidate, frozenset(taken_slugs))
        with self._queue_lock:
            self._queue.append(pending)
        with self._lock:
            if not pending.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write_batch(batch)
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def _write_batch(self, batch: list["_PendingAdd"]) -> None:
        now = time.time()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            results = [self._insert(item.candidate, item.taken, now) for item in batch]
            self._db.execute("COMMIT")
        except BaseException as error:
            self._db.execute("ROLLBACK")
            for item in batch:
                item.error, item.done = error, True
            return
        for item, result in zip(batch, results):
            item.result, item.done = result, True

    def _insert(self, candidate: Candidate, taken_slugs: frozenset[str], now: float) -> tuple[Stored, bool]:
        existing = self._one("SELECT * FROM submissions WHERE dedupe_key = ?", (candidate.dedupe_key,))
        if existing is not None:
            return existing, False
        slug = candidate.base_slug
        if candidate.action == "nieuw":
            slug = self._free_slug(candidate.base_slug, taken_slugs)
        while True:
            submission_id = secrets.token_hex(5)
            if self._db.execute("SELECT 1 FROM submissions WHERE id = ?", (submission_id,)).fetchone() is None:
                break
        self._db.execute(
            "INSERT INTO submissions (id, dedupe_key, action, slug, title, kind, areas, file_text, submitter,"
            " summary, status, branch, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                submission_id,
                candidate.dedupe_key,
                candidate.action,
                slug,
                candidate.title,
                candidate.kind,
                json.dumps(list(candidate.areas)),
                candidate.file_text,
                json.dumps(candidate.submitter, sort_keys=True, ensure_ascii=False),
                json.dumps(candidate.summary, sort_keys=True, ensure_ascii=False),
                RECEIVED,
                branch_name(slug, submission_id),
                now,
                now,
            ),
        )
        stored = self._one("SELECT * FROM submissions WHERE id = ?", (submission_id,))
        assert stored is not None
        return stored, True

    def _free_slug(self, base: str, taken: frozenset[str] | set[str]) -> str:
        # From base to base + ".": base and every "base-..." (slugs are a-z, 0-9 and "-", and
        # "." sorts right after "-"). A range on the slug index, so the cost does not grow
        # with the number of rows; without statistics SQLite would pick the status index.
        pending = {
            row[0]
            for row in self._db.execute(
                "SELECT slug FROM submissions INDEXED BY submissions_slug WHERE slug >= ? AND slug < ?"
                " AND action = 'nieuw' AND status IN (?, ?)",
                (base, f"{base}.", RECEIVED, SUBMITTED),
            )
        }
        return next_free_slug(base, set(taken) | pending)

    def get(self, submission_id: str) -> Stored | None:
        with self._lock:
            return self._one("SELECT * FROM submissions WHERE id = ?", (submission_id,))

    def due(self, now: float, exclude: set[str], limit: int = 1) -> list[Stored]:
        """Submissions waiting to be published whose next attempt is due: new ones (and those
        given another round at start-up) in the order they came, then retries in the order
        their time came. The order of the index, so no sort of the whole queue."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM submissions WHERE status = ? AND next_attempt <= ? ORDER BY next_attempt, rowid LIMIT ?",
                (RECEIVED, now, limit + len(exclude)),
            ).fetchall()
        return [stored for stored in map(Stored.from_row, rows) if stored.id not in exclude][:limit]

    def next_due_time(self) -> float | None:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_attempt) FROM submissions WHERE status = ?", (RECEIVED,)).fetchone()
        return row[0] if row and row[0] is not None else None

    def _update(self, submission_id: str, **values: Any) -> None:
        """State changes after the 202. Not synced at once: a lost update after a power cut
        only means publishing again, which the forges make harmless."""
        values["updated"] = time.time()
        columns = ", ".join(f"{key} = ?" for key in values)
        with self._lock:
            self._db.execute("PRAGMA synchronous=NORMAL")
            try:
                self._db.execute(f"UPDATE submissions SET {columns} WHERE id = ?", (*values.values(), submission_id))
            finally:
                self._db.execute("PRAGMA synchronous=FULL")

    def mark_published(self, submission_id: str, slug: str, branch: str, url: str) -> None:
        self._update(submission_id, status=SUBMITTED, slug=slug, branch=branch, url=url, last_error="")

    def mark_retry(self, submission_id: str, attempts: int, next_attempt: float, error: str, kind: str = "tijdelijk") -> None:
        self._update(submission_id, attempts=attempts, next_attempt=next_attempt, last_error=error[:500], failure=kind)

    def mark_failed(self, submission_id: str, attempts: int, error: str, kind: str = "instelling") -> None:
        """No more tries for now; ``kind`` decides whether a restart tries again
        (``blijvend``: never)."""
        self._update(submission_id, status=FAILED, attempts=attempts, last_error=error[:500], failure=kind)

    def set_status(self, submission_id: str, status: str, reason: str = "") -> None:
        self._update(submission_id, status=status, reason=reason)

    def requeue_failed(self) -> int:
        """On start-up, give failed submissions another round (a fixed token, a forge back up),
        except those refused for good (failure ``blijvend``): they wait for a moderator."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE submissions SET status = ?, attempts = 0, next_attempt = 0 WHERE status = ? AND failure != ?",
                (RECEIVED, FAILED, "blijvend"),
            )
            return cursor.rowcount

    def unpublished(self) -> list[Stored]:
        """Submissions that have no branch yet: waiting, retrying, or failed."""
        return self.all((RECEIVED, FAILED))

    def all(self, statuses: tuple[str, ...] = STATES) -> list[Stored]:
        marks = ", ".join("?" for _ in statuses)
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM submissions WHERE status IN ({marks}) ORDER BY created, id", statuses
            ).fetchall()
        return [Stored.from_row(row) for row in rows]


@dataclass
class _PendingAdd:
    candidate: Candidate
    taken: frozenset[str]
    result: tuple[Stored, bool] | None = None
    error: BaseException | None = None
    done: bool = False


def next_free_slug(base: str, taken: set[str] | frozenset[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, ... whichever is not taken."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
