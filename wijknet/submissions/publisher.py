"""The background publisher: spool rows waiting to be published -> forge, with retries.

A few worker threads take due rows from the spool (in the order they became due), publish
them and record the branch or pull request. A worker takes up to ``publish_batch`` rows at a
time, which a forge with ``publish_many`` publishes together (the local forge: a few git
processes for all of them instead of several for each). Each row's outcome is recorded on its
own. A transient failure waits ``base * 2**attempts`` seconds (capped, with jitter, or the
forge's ``Retry-After``); a permanent one marks the row ``fout``. Because everything lives in
the spool, a restart simply picks up where the last run stopped.
"""

from __future__ import annotations

import logging
import random
import threading
import time

from wijknet.safe_text import escape_controls
from wijknet.submissions.forges import TRANSIENT, Forge, ForgeError, Published
from wijknet.submissions.settings import ServiceSettings
from wijknet.submissions.spool import Spool, Stored

log = logging.getLogger("wijknet.submissions")


def backoff_seconds(attempts: int, base: float, cap: float, retry_after: float | None = None) -> float:
    """Exponential backoff with a little jitter; the forge's own hint wins when larger."""
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    delay *= 1 + random.random() * 0.25
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, max(cap, retry_after or 0))


class Publisher:
    """Worker threads that publish the spool. ``start()`` / ``stop()``; ``wake()`` after an add."""

    def __init__(self, spool: Spool, forge: Forge, settings: ServiceSettings):
        self.spool = spool
        self.forge = forge
        self.settings = settings
        self._wake = threading.Condition()
        self._pending_wake = False
        self._stop = threading.Event()
        self._in_flight: set[str] = set()
        self._claim_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        requeued = self.spool.requeue_failed()
        if requeued:
            log.info("%d eerder mislukte inzending(en) opnieuw in de wachtrij", requeued)
        for number in range(self.settings.publish_workers):
            thread = threading.Thread(target=self._run, name=f"wijknet-publisher-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.wake()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def wake(self) -> None:
        with self._wake:
            self._pending_wake = True
            self._wake.notify_all()

    def _claim(self) -> list[Stored]:
        # one row at a time for a forge that publishes one at a time: the other workers take the rest
        limit = self.settings.publish_batch if hasattr(self.forge, "publish_many") else 1
        with self._claim_lock:
            rows = self.spool.due(time.time(), self._in_flight, limit=limit)
            self._in_flight.update(row.id for row in rows)
            return rows

    def _sleep(self) -> None:
        next_due = self.spool.next_due_time()
        timeout = 5.0 if next_due is None else min(5.0, max(0.05, next_due - time.time()))
        with self._wake:
            if not self._pending_wake:
                self._wake.wait(timeout)
            self._pending_wake = False

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rows = self._claim()
            except Exception:  # a locked or vanished database must not kill the worker
                log.exception("spool niet leesbaar")
                time.sleep(1)
                continue
            if not rows:
                self._sleep()
                continue
            try:
                self.publish_rows(rows)
            finally:
                with self._claim_lock:
                    self._in_flight.difference_update(row.id for row in rows)

    def publish_one(self, row: Stored) -> None:
        """Publish one row and record the outcome in the spool."""
        try:
            outcome: Published | BaseException = self.forge.publish(row)
        except Exception as error:
            outcome = error
        self._record(row, outcome)

    def publish_rows(self, rows: list[Stored]) -> None:
        """Publish rows together when the forge can, and record each outcome on its own."""
        publish_many = getattr(self.forge, "publish_many", None)
        if publish_many is None:
            for row in rows:
                self.publish_one(row)
            return
        try:
            outcomes: list[Published | BaseException] = list(publish_many(rows))
        except Exception as error:
            outcomes = [error] * len(rows)
        for row, outcome in zip(rows, outcomes, strict=True):
            self._record(row, outcome)

    def _record(self, row: Stored, outcome: Published | BaseException) -> None:
        attempts = row.attempts + 1
        if isinstance(outcome, ForgeError):
            self._failed(row, attempts, str(outcome), outcome.kind, outcome.retry_after)
        elif isinstance(outcome, BaseException):  # an unexpected bug: keep the row, retry later, but not forever
            log.error("inzending %s: onverwachte fout", row.id, exc_info=outcome)
            self._failed(row, attempts, repr(outcome), TRANSIENT, None)
        else:
            self.spool.mark_published(row.id, outcome.slug, outcome.branch, outcome.url)
            log.info("inzending %s gepubliceerd als %s", row.id, outcome.branch)

    def _failed(self, row: Stored, attempts: int, error: str, kind: str, retry_after: float | None) -> None:
        """Retry a transient failure with backoff, at most ``max_attempts`` times (a bounded
        time: the backoff is capped); anything else, or the last try, marks the row ``fout``
        with its kind, which ``wijknet review`` shows."""
        shown = escape_controls(error)
        if kind != TRANSIENT or attempts >= self.settings.max_attempts:
            log.warning("inzending %s mislukt (%s, poging %d): %s", row.id, kind, attempts, shown)
            self.spool.mark_failed(row.id, attempts, error, kind)
            return
        delay = backoff_seconds(attempts, self.settings.retry_base_seconds, self.settings.retry_max_seconds, retry_after)
        log.info("inzending %s: poging %d mislukt (%s); opnieuw over %.1f s", row.id, attempts, shown, delay)
        self.spool.mark_retry(row.id, attempts, time.time() + delay, error, kind)
