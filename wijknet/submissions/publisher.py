"""The background publisher: spool rows waiting to be published -> forge, with retries.

A few worker threads take due rows from the spool (oldest first), publish them and record
the branch or pull request. A transient failure waits ``base * 2**attempts`` seconds (capped,
with jitter, or the forge's ``Retry-After``); a permanent one marks the row ``fout``. Because
everything lives in the spool, a restart simply picks up where the last run stopped.
"""

from __future__ import annotations

import logging
import random
import threading
import time

from wijknet.safe_text import escape_controls
from wijknet.submissions.forges import TRANSIENT, Forge, ForgeError
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

    def _claim(self) -> Stored | None:
        with self._claim_lock:
            rows = self.spool.due(time.time(), self._in_flight, limit=1)
            if not rows:
                return None
            self._in_flight.add(rows[0].id)
            return rows[0]

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
                row = self._claim()
            except Exception:  # a locked or vanished database must not kill the worker
                log.exception("spool niet leesbaar")
                time.sleep(1)
                continue
            if row is None:
                self._sleep()
                continue
            try:
                self.publish_one(row)
            finally:
                with self._claim_lock:
                    self._in_flight.discard(row.id)

    def publish_one(self, row: Stored) -> None:
        """Publish one row and record the outcome in the spool."""
        attempts = row.attempts + 1
        try:
            result = self.forge.publish(row)
        except ForgeError as error:
            self._failed(row, attempts, str(error), error.kind, error.retry_after)
            return
        except Exception as error:  # an unexpected bug: keep the row, retry later, but not forever
            log.exception("inzending %s: onverwachte fout", row.id)
            self._failed(row, attempts, repr(error), TRANSIENT, None)
            return
        self.spool.mark_published(row.id, result.slug, result.branch, result.url)
        log.info("inzending %s gepubliceerd als %s", row.id, result.branch)

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
