"""Moves the clock of every Python process ahead, for the suite's clock-ahead run.

`.ci/run` puts this folder on PYTHONPATH and sets WIJKNET_CLOCK_AHEAD_DAYS; Python then
imports this module at start-up, in pytest and in every wijknet process a test starts, and
time-machine moves the wall clock (time.time, datetime.now, date.today) that many days ahead
while it keeps running. Monotonic clocks stay real, so timeouts and waits behave as always.
(libfaketime was tried first: with the monotonic clock faked, Python's timed lock waits
never end; with it real, time.sleep fails with EINVAL.)
"""

import datetime as _dt
import os as _os

_days = _os.environ.get("WIJKNET_CLOCK_AHEAD_DAYS", "").strip()
if _days:
    import time_machine as _time_machine

    _destination = _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=int(_days))
    _time_machine.travel(_destination, tick=True).start()
