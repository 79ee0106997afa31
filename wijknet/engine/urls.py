"""The URL scheme of the site, in one place.

URLs are root-relative and start with the site's base path (``/`` unless the site URL has
a path, e.g. a GitHub Pages project site). Every URL is a folder with an ``index.html``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from wijknet.taxonomy import URL_PREFIXES as FACET_PREFIX


class Urls:
    """Builds URLs and their output paths for one site."""

    def __init__(self, site_url: str):
        self.site_url = site_url.rstrip("/")
        path = urlsplit(site_url).path.strip("/")
        self.base = f"/{path}/" if path else "/"

    def _url(self, *parts: str) -> str:
        inner = "/".join(part.strip("/") for part in parts if part)
        return f"{self.base}{inner}/" if inner else self.base

    # pages
    def home(self) -> str:
        return self.base

    def entry(self, slug: str) -> str:
        return self._url("initiatieven", slug)

    def facet(self, vocabulary: str, term_id: str) -> str:
        return self._url(FACET_PREFIX[vocabulary], term_id)

    def facet_page(self, vocabulary: str, term_id: str, number: int) -> str:
        """Page ``number`` of a facet's list (page 1 is :meth:`facet` itself)."""
        if number <= 1:
            return self.facet(vocabulary, term_id)
        return self._url(FACET_PREFIX[vocabulary], term_id, "pagina", str(number))

    def facet_index(self, vocabulary: str) -> str:
        return self._url(FACET_PREFIX[vocabulary])

    def page(self, name: str) -> str:
        """A named page: overzicht, agenda, zoeken, meedoen, over, toegankelijkheid, ..."""
        return self._url(name)

    def static(self, path: str) -> str:
        return f"{self.base}static/{path.lstrip('/')}"

    def file(self, path: str) -> str:
        """A non-page file such as ``data/initiatieven.json``."""
        return f"{self.base}{path.lstrip('/')}"

    # conversions
    def absolute(self, url: str) -> str:
        """Turn a root-relative URL into an absolute one on the site's host."""
        root = self.site_url[: len(self.site_url) - len(self.base.rstrip("/"))] if self.base != "/" else self.site_url
        return f"{root}{url}"

    def output_path(self, url: str) -> str:
        """Where the page for ``url`` lives under the output folder."""
        inner = url[len(self.base) :] if url.startswith(self.base) else url.lstrip("/")
        return f"{inner}index.html" if inner.endswith("/") or not inner else inner

    def url_of_output(self, path: str) -> str:
        """The URL a file under the output folder is served at (``a/index.html`` → ``/a/``)."""
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return f"{self.base}{path.lstrip('/')}"
