"""The providers that make up a wijknet site, in order: the one place that lists them.

Each is imported by name, so readers and tools can follow them; none imports another.
"""

from __future__ import annotations

from wijknet.admin.pages import PROVIDER as ADMIN
from wijknet.content.catalog import Catalog
from wijknet.engine.cache import BuildCache
from wijknet.engine.model import BuildContext
from wijknet.engine.registry import Provider
from wijknet.engine.urls import Urls
from wijknet.exports.provider import PROVIDER as EXPORTS
from wijknet.hsds.provider import PROVIDER as HSDS
from wijknet.kaart.provider import PROVIDER as KAART
from wijknet.matching.provider import PROVIDER as MATCHING
from wijknet.report.pages import PROVIDER as REPORT
from wijknet.search.provider import PROVIDER as SEARCH
from wijknet.site.pages import PROVIDER as SITE
from wijknet.submissions.pages import PROVIDER as SUBMISSIONS

PROVIDERS: tuple[Provider, ...] = (
    SITE,  # home, entries, facets, overview, agenda, static pages
    EXPORTS,  # feeds, open data, agenda.ics, sitemap, robots.txt; JSON-LD on entry pages
    HSDS,  # the catalogue as an Open Referral HSDS 3.0 dataset (data/hsds/)
    SEARCH,  # search index and documents, search page
    SUBMISSIONS,  # the form to add an entry (aanmelden)
    REPORT,  # cijfers
    KAART,  # the map page and its files; the locator on entry pages; the map's figures on cijfers
    MATCHING,  # vragen, matches; sections on entry pages
    ADMIN,  # the moderators' desk (Decap CMS): admin/
)


def site_build(catalog: Catalog, urls: Urls, cache: BuildCache | None = None) -> BuildContext:
    """A build context for the whole site: every provider, and ``cache`` (none: remember nothing)."""
    return BuildContext(catalog=catalog, urls=urls, providers=PROVIDERS, cache=cache or BuildCache(None))
