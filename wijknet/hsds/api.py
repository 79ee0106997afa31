"""Static JSON laid out like the HSDS API (``schema/openapi.json``), as far as files allow.

Under ``data/hsds/`` (``{id}`` is a UUID, ``N`` a page number from 1):

============================  ================================  ===============================
file                          answers                           holds
============================  ================================  ===============================
``index.json``                ``GET /``                         HSDS version, the OpenAPI URL
``services/page-N.json``      ``GET /services?page=N``          a page of services: their own
                                                                fields and organization
``services/{id}.json``        ``GET /services/{id}``            the full, nested service
``organizations/page-N.json`` ``GET /organizations?page=N``     a page of organizations
``organizations/{id}.json``   ``GET /organizations/{id}``       the organization and its
                                                                services (their own fields)
``taxonomies/page-N.json``    ``GET /taxonomies?page=N``        a page of taxonomies
``taxonomies/{id}.json``      ``GET /taxonomies/{id}``          one taxonomy
``taxonomy_terms/page-N.json``  ``GET /taxonomy_terms?page=N``  a page of terms
``taxonomy_terms/{id}.json``  ``GET /taxonomy_terms/{id}``      a term with its taxonomy
============================  ================================  ===============================

A page is the API's ``Page`` object (``total_items``, ``total_pages``, ``page_number``,
``size``, ``first_page``, ``last_page``, ``empty``) with ``contents``; :data:`PAGE_SIZE`
items a page, in a fixed order. What a static file cannot do: search, filters
(``taxonomy_term_id``, ``modified_after`` ...), other page sizes, ``ndjson``, and the
``service_at_locations`` endpoints (each full service holds its own).
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from wijknet.hsds_format import HSDS_VERSION, OPENAPI_URL

PAGE_SIZE = 100


def root() -> dict[str, Any]:
    """The answer of ``GET /``."""
    return {"version": HSDS_VERSION, "openapi_url": OPENAPI_URL}


def pages(folder: str, items: Sequence[dict[str, Any]], size: int = PAGE_SIZE) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(path, page)`` for every page of ``items`` under ``folder``; at least one page."""
    total_pages = max(1, -(-len(items) // size))
    for number in range(1, total_pages + 1):
        contents = list(items[(number - 1) * size : number * size])
        yield f"{folder}/page-{number}.json", {
            "total_items": len(items),
            "total_pages": total_pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number == total_pages,
            "empty": not items,
            "contents": contents,
        }
