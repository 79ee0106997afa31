""""Today" has one source: ``wijknet.project.today_in``, which tests (and anyone previewing a
later day) set with ``WIJKNET_TODAY``; browser pages get the build date from Playwright's
clock (see ``DatedBrowser`` in ``conftest.py``)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from testkit import REPO, TEST_DATE
from testkit.clock import CITY_ZONE

from wijknet.project import TODAY_VARIABLE, today_in


def test_the_variable_sets_today(monkeypatch):
    monkeypatch.setenv(TODAY_VARIABLE, "2029-02-28")
    assert today_in("Europe/Amsterdam") == dt.date(2029, 2, 28)
    monkeypatch.setenv(TODAY_VARIABLE, "")
    # without it, the city's own date: half past midnight in Amsterdam is still the day
    # before in UTC (a fixed instant, so this holds on any real date)
    with time_machine.travel(dt.datetime(2027, 3, 1, 23, 30, tzinfo=dt.timezone.utc), tick=False):
        assert today_in("Europe/Amsterdam") == dt.date(2027, 3, 2)
        assert today_in("UTC") == dt.date(2027, 3, 1)


def test_a_bad_value_is_a_clear_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv(TODAY_VARIABLE, "2027-13-01")
    with pytest.raises(SystemExit) as stopped:
        today_in("Europe/Amsterdam")
    assert "WIJKNET_TODAY='2027-13-01' is geen datum" in str(stopped.value)


def test_a_command_started_by_a_test_takes_the_date(tmp_path):
    """The sample content was checked in 2026: on a day in 2020 those dates lie in the future."""
    env = {**os.environ, TODAY_VARIABLE: "2020-01-01"}
    done = subprocess.run([sys.executable, "-m", "wijknet.cli", "validate", "--format", "json"],
                          capture_output=True, text=True, cwd=REPO, env=env, check=False)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert '"key": "gecontroleerd"' in done.stdout and "(vandaag is 2020-01-01)" in done.stdout
    env[TODAY_VARIABLE] = TEST_DATE.isoformat()
    again = subprocess.run([sys.executable, "-m", "wijknet.cli", "validate"],
                           capture_output=True, text=True, cwd=REPO, env=env, check=False)  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.browser
def test_pages_in_browser_tests_live_on_the_build_date(browser):
    """The page's clock is Playwright's, set by ``DatedBrowser`` to midday of the build date
    (or of ``today=``), whatever day the machine thinks it is."""
    page = browser.new_page()
    page.set_content("<p>x</p>")
    assert _page_day(page) == TEST_DATE
    page.close()
    later = browser.new_page(today=dt.date(2030, 6, 1))
    later.set_content("<p>x</p>")
    assert _page_day(later) == dt.date(2030, 6, 1)
    later.close()


def _page_day(page) -> dt.date:
    """The day in the city at the page's current time (``Date.now()`` under the fixed clock)."""
    millis = page.evaluate("Date.now()")
    return dt.datetime.fromtimestamp(millis / 1000, CITY_ZONE).date()
