"""Chromium for the browser tests: where it is, how it starts, and the date its pages see."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from testkit.clock import TEST_DATE, city_noon

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("WIJKNET_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def browser_required() -> bool:
    """In CI a missing Chromium fails the browser tests instead of skipping them."""
    return bool(os.environ.get("CI") or os.environ.get("WIJKNET_REQUIRE_BROWSER"))


def chromium_or_skip() -> str:
    """Chromium's path for a browser fixture; without it the test is skipped, or fails where
    a browser is required (:func:`browser_required`)."""
    import pytest

    executable = chromium_path()
    if executable is None:
        message = "Chromium not found (install Debian's 'chromium'; `make test` does this)"
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)
    return executable


class DatedBrowser:
    """The browser, with every new page's clock set to the build date (Playwright's clock
    API), so pages never disagree with the site about what day it is. Pass ``today=`` for a
    site built for another date; the clock then runs on from midday of that day."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, *, today: dt.date = TEST_DATE, **options):
        context = self._browser.new_context(**options)
        if options.get("java_script_enabled", True):  # without scripts no page reads a clock
            context.clock.install(time=city_noon(today))
        return context

    def new_page(self, *, today: dt.date = TEST_DATE, **options):
        page = self._browser.new_page(**options)  # closing the page closes its own context
        if options.get("java_script_enabled", True):
            page.context.clock.install(time=city_noon(today))
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)


PERFORMANCE_WATCH = """(() => {
  window.__wijknetWatch = {shifts: [], longTasks: [], frames: []};
  const watch = window.__wijknetWatch;
  const observe = (type, take) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(take)).observe({type, buffered: true}); } catch (e) {}
  };
  observe('layout-shift', (e) => { if (!e.hadRecentInput) watch.shifts.push(e.value); });
  observe('longtask', (e) => watch.longTasks.push({start: e.startTime, duration: e.duration}));
  observe('long-animation-frame', (e) => watch.frames.push({start: e.startTime, duration: e.duration,
    scripts: e.scripts.map((s) => ({url: s.sourceURL, invoker: s.invoker, type: s.invokerType,
                                    start: s.startTime, duration: s.duration}))}));
})();"""
"""An init script (``page.add_init_script``) that records, from the page's start, its layout
shifts (not those right after input), its long tasks and its long animation frames with the
scripts that ran in them; :func:`performance_watch` reads them."""


def performance_watch(page) -> dict:
    """What :data:`PERFORMANCE_WATCH` recorded: ``cls`` (the sum of the shifts), ``long_tasks``
    and ``frames`` (with ``scripts``: url, invoker, type, start, duration in ms)."""
    watch = page.evaluate("() => window.__wijknetWatch")
    return {"cls": sum(watch["shifts"]), "long_tasks": watch["longTasks"], "frames": watch["frames"]}


def long_tasks_of(watch: dict, script: str) -> tuple[list[dict], list[dict], float]:
    """From :func:`performance_watch`: the long tasks during which a callback of ``script``
    (a URL ending) ran (its message handlers, timers, promise callbacks, event listeners: the
    work it does), the callbacks that ran longer than 50 ms themselves, and the longest
    evaluation of the script's own code (loading it, not its work), in ms."""
    runs = [s for frame in watch["frames"] for s in frame["scripts"] if s["url"].endswith(script)]
    callbacks = [s for s in runs if s["type"] not in ("classic-script", "module-script")]
    tasks = [
        task
        for task in watch["long_tasks"]
        if any(s["start"] < task["start"] + task["duration"] and task["start"] < s["start"] + s["duration"] for s in callbacks)
    ]
    evaluation = max((s["duration"] for s in runs if s not in callbacks), default=0.0)
    return tasks, [s for s in callbacks if s["duration"] > 50], evaluation
