"""Open formats made from the Catalog: feeds, open data, the agenda, sitemap and JSON-LD.

A pure provider (see :mod:`wijknet.site.registry`): ``provide(build)`` returns the files,
never writes to disk and never reads the clock; the build date is ``catalog.today``.
"""

from __future__ import annotations

from typing import Iterable

from wijknet.site.model import BuildContext, File


def provide(build: BuildContext) -> Iterable[File]:
    """Every export file of the site, in the contract's paths."""
    from wijknet.exports.provider import files

    return files(build)
