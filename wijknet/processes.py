"""The worker processes of a build, in one place: a forked side process, a forked pool
(validation and rendering both use it), and the cycle collector paused for a build.

Processes are forked (the catalog and the compiled templates are inherited, never
pickled). ``wijknet serve`` and ``invoke livereload`` build from a watcher thread while a
server thread runs: the forked children only render and write files and never take a lock
another thread may hold (no logging, no printing), which is what makes forking there safe.
``WIJKNET_JOBS=1`` builds in one process without forking.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from typing import Any, Callable, Iterable, Iterator


def default_jobs() -> int:
    """``WIJKNET_JOBS`` or the number of cores."""
    try:
        return max(1, int(os.environ.get("WIJKNET_JOBS", "")))
    except ValueError:
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector for one build (and its forked workers), then restore it.

    A build holds tens of thousands of long-lived objects (entries, page contexts) and makes
    few reference cycles; the collector walking them again and again costs a noticeable part
    of a large build, for little memory. Restored even when the build fails, so a
    long-running ``wijknet serve`` collects as usual between builds.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class SideProcess:
    """``work()`` in a forked process; :meth:`result` returns its result or raises its error."""

    def __init__(self, work: Callable[[], Any], name: str):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def run() -> None:
            try:
                result = ("ok", work())
            except BaseException as error:  # noqa: BLE001  handed to the parent, raised there
                import traceback

                result = ("error", error, traceback.format_exc())
            try:
                send.send(result)
            except Exception:  # noqa: BLE001  an error that cannot be pickled: send its text
                send.send(("error", None, result[-1] if result[0] == "error" else "unpicklable result"))
            send.close()

        self._process = context.Process(target=run, name=name, daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            message = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"{self._process.name} stopped (exit code {self._process.exitcode})") from None
        self._process.join()
        if message[0] == "error":
            _, error, text = message
            if error is None:
                raise RuntimeError(text)
            raise error
        return message[1]

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


# The job of a pool worker, set by the pool's initializer in each forked worker; a worker
# process runs one job in its life.
_WORKER: list = []


def _start_worker(job: Any) -> None:
    _WORKER[:] = [job]


def _run_in_worker(task: Any) -> Any:
    function, job = _WORKER[0]
    return function(job, task)


class Pool:
    """A pool of ``jobs`` forked processes that each run ``function(job, task)``; ``job`` is
    inherited by forking, never pickled."""

    def __init__(self, jobs: int, function: Callable[[Any, Any], Any], job: Any):
        self._pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=((function, job),))

    def map_unordered(self, tasks: Iterable[Any], chunksize: int) -> Iterator[Any]:
        """Results as they come; the tasks are handed out at once."""
        return self._pool.imap_unordered(_run_in_worker, tasks, chunksize=chunksize)

    def map_ordered(self, tasks: Iterable[Any], chunksize: int) -> Iterator[Any]:
        """Results in the order of ``tasks``; the tasks are handed out at once."""
        return self._pool.imap(_run_in_worker, tasks, chunksize=chunksize)

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        self._pool.terminate()
        self._pool.join()
