"""Open formats made from the Catalog: feeds, open data, the agenda, sitemap and JSON-LD.

A pure provider (:data:`wijknet.exports.provider.PROVIDER`): it returns the files, never
writes to disk and never reads the clock; the build date is ``catalog.today``. It adds the
JSON-LD of entry pages through the ``entry_jsonld`` hook.
"""

from wijknet.exports.provider import PROVIDER, provide

__all__ = ["PROVIDER", "provide"]
