"""The agenda in pages of whole days (a city's half year of activities was 618 KB of HTML
at 5,000 entries).

``split_days_over_pages`` is checked on its own: whole days, every activity once, a new page
only once a page is full, a day bigger than a page kept whole. Then the repository's own
content (783 entries) is built with pages of 3 activities: following rel="next" from ``agenda/`` visits every
upcoming activity exactly once, in the order of ``agenda_days``, each page says where it
stands, has its own title and head links, and ``agenda/`` itself is the first page.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from testkit import REPO

from wijknet.build import build_site
from wijknet.project import Project
from wijknet.site import pages as site_pages
from wijknet.site.pages import agenda_days, split_days_over_pages

from site_support import BUILD_DATE, Site


def _days(*sizes: int) -> list[tuple[dt.date, list[str]]]:
    start = dt.date(2026, 12, 1)
    return [(start + dt.timedelta(days=n), [f"d{n}-{i}" for i in range(size)]) for n, size in enumerate(sizes)]


def _url(number: int) -> str:
    return "/agenda/" if number == 1 else f"/agenda/pagina/{number}/"


def test_pages_hold_whole_days_and_every_activity_once():
    days = _days(4, 3, 5, 1, 2, 6, 2)
    pages = split_days_over_pages(days, 6, _url)
    # a page takes days until it holds 6 or more; the next day starts a new page
    assert [[len(entries) for _, entries in group] for _, group, _ in pages] == [[4, 3], [5, 1], [2, 6], [2]]
    assert [item for _, group, _ in pages for _, entries in group for item in entries] == [
        item for _, entries in days for item in entries
    ]
    assert [url for url, _, _ in pages] == ["/agenda/", "/agenda/pagina/2/", "/agenda/pagina/3/", "/agenda/pagina/4/"]
    spans = [(p.number, p.count, p.first, p.last, p.total, p.previous_url, p.next_url) for _, _, p in pages]
    assert spans == [
        (1, 4, 1, 7, 23, "", "/agenda/pagina/2/"),
        (2, 4, 8, 13, 23, "/agenda/", "/agenda/pagina/3/"),
        (3, 4, 14, 21, 23, "/agenda/pagina/2/", "/agenda/pagina/4/"),
        (4, 4, 22, 23, 23, "/agenda/pagina/3/", ""),
    ]


def test_a_day_bigger_than_a_page_stays_whole_and_no_days_give_one_page():
    pages = split_days_over_pages(_days(2, 30, 1), 10, _url)
    assert [[len(entries) for _, entries in group] for _, group, _ in pages] == [[2, 30], [1]]
    empty = split_days_over_pages([], 10, _url)
    assert len(empty) == 1 and empty[0][1] == [] and empty[0][2].count == 1 and empty[0][2].total == 0


@pytest.fixture(scope="module")
def small_pages_site(tmp_path_factory):
    """The sample content with pages of 3 activities (the build runs in this process and
    forks from it, so the patched size holds for every worker)."""
    root = tmp_path_factory.mktemp("agenda")
    patch = pytest.MonkeyPatch()
    patch.setattr(site_pages, "AGENDA_PAGE_SIZE", 3)
    try:
        project = Project.at(REPO)
        build_site(project, root / "output", BUILD_DATE, cache_dir=root / "cache")
    finally:
        patch.undo()
    return Site(root / "output", project)


def test_following_next_visits_every_upcoming_activity_once_in_date_order(small_pages_site):
    site = small_pages_site
    catalog = site.project.load(BUILD_DATE).catalog
    expected = [f"/initiatieven/{entry.slug}/" for _, entries in agenda_days(SimpleNamespace(catalog=catalog)) for entry in entries]
    assert len(expected) > 6, "the content must need several pages"
    url, seen, found, titles, pages = "/agenda/", set(), [], set(), 0
    while url:
        assert url not in seen, f"rel=next goes round in a circle at {url}"
        seen.add(url)
        pages += 1
        soup = site.html(url)
        assert url == ("/agenda/" if pages == 1 else f"/agenda/pagina/{pages}/")
        links = [a["href"] for a in soup.select(".agenda-day .card-title a")]
        note = soup.select_one(".pagination-note").get_text(" ", strip=True)
        assert note.startswith(f"Activiteit {len(found) + 1} tot en met {len(found) + len(links)} van {len(expected)}:")
        assert note.endswith(f"Pagina {pages} van {len(list((site.output / 'agenda' / 'pagina').glob('*/index.html'))) + 1}.")
        found += links
        titles.add(soup.title.get_text())
        head_previous = soup.select_one('link[rel="prev"]')
        assert (head_previous is None) == (pages == 1)
        assert soup.select_one("link[rel='canonical']")["href"].endswith(url)
        assert [a.get_text(" ", strip=True) for a in soup.select(".pagination-pages a[aria-current='page']")] == [f"Pagina {pages}"]
        following = soup.select('a[rel="next"]')
        head_next = soup.select_one('link[rel="next"]')
        assert (head_next is None) == (not following)
        url = following[0]["href"] if following else ""
    assert found == expected
    assert pages >= 3 and len(titles) == pages, "every page has its own title"

