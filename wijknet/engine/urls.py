"""The URL scheme of the site, in one place.

URLs are root-relative and start with the site's base path (``/`` unless the site URL has
a path, e.g. a GitHub Pages project site). Every URL is a folder with an ``index.html``.
Static assets are named by their content-hashed copy when the scheme has the build's
:class:`~wijknet.engine.assets.AssetManifest`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from wijknet.taxonomy import URL_PREFIXES as FACET_PREFIX

if TYPE_CHECKING:
    from wijknet.engine.assets import AssetManifest


class Urls:
    """Builds URLs and their output paths for one site. ``assets``: the hashed names of the
    static files this build writes (none: every static file by its own name, as the
    submission service links to the theme's files it serves itself)."""

    def __init__(self, site_url: str, assets: "AssetManifest | None" = None):
        self.site_url = site_url.rstrip("/")
        self.assets = assets
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
        """A file under ``static/``, by its content-hashed name when the build made one."""
        path = path.lstrip("/")
        return f"{self.base}static/{self.assets.name(path) if self.assets is not None else path}"

    def key(self) -> str:
        """What every page's URLs depend on: the site URL and the hashed asset names."""
        return f"{self.site_url}\0{self.assets.digest() if self.assets is not None else ''}"

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
