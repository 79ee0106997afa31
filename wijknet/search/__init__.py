"""Dutch site search: a lunr index built at build time and searched in the browser.

- :mod:`wijknet.dutch.analysis`: text normalisation, the Dutch stop words and word
  characters read from the installed ``lunr-languages``, the lunr pipeline functions.
- :mod:`wijknet.search.index`: builds ``search/index.json``, ``search/documents.json``
  and ``search/taxonomy.json`` from a Catalog.
- :mod:`wijknet.search.query`: the query planner and ranking, the reference for
  ``theme/static/js/search.js`` (the parity test holds them together).
- :mod:`wijknet.search.shards`: the term shards, document fragments, dictionary and
  manifest the browser loads instead of the complete index (design in ``docs/search.md``);
  :mod:`wijknet.search.shard_reader` reads them as the browser does (the differential test
  holds it to the complete index).
- :mod:`wijknet.search.provider`: the site provider (files plus the ``zoeken`` page).
"""
