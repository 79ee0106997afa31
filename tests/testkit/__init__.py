"""What the tests share, in one place (``from testkit import ...``; the top ``conftest.py``
puts ``tests/`` on ``sys.path``):

- :mod:`testkit.paths`: the repository and its fixture folders;
- :mod:`testkit.clock`: the test date, the page clock of the browser tests, and the
  clock a service in the test's process reads;
- :mod:`testkit.gitrepo`: :func:`git`, the one way to run git in a test repository;
- :mod:`testkit.sites`: :func:`make_site`, the one way to lay out a fixture site (and
  :func:`make_content` for its content alone), :func:`tree`, the digest of an output folder,
  and :func:`unhashed`, a static asset's URL without its content hash;
- :mod:`testkit.generated`: valid generated entries (the benchmark's generator);
- :mod:`testkit.serving`: local HTTP servers and the axe-core check;
- :mod:`testkit.browser`: finding Chromium and giving its pages the build date.
"""

from testkit.clock import CITY_ZONE, TEST_DATE, ManualClock, city_noon
from testkit.gitrepo import git
from testkit.paths import FIXTURES, REPO
from testkit.sites import make_content, make_site, tree, unhashed

__all__ = ["CITY_ZONE", "FIXTURES", "REPO", "TEST_DATE", "ManualClock", "city_noon", "git", "make_content", "make_site", "tree", "unhashed"]
