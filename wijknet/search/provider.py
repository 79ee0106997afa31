"""Site provider: the search files and the ``zoeken`` page."""

from __future__ import annotations

from typing import Iterable

from wijknet.dutch.analysis import DutchAnalysis
from wijknet.search.index import (
    SearchConfig,
    build_cards,
    build_documents,
    build_taxonomy,
    dump_json,
    index_documents,
    index_key,
    serialize_index,
)
from wijknet.search.shards import MANIFEST_PATH, ShardConfig, fragment_files, manifest, term_files
from wijknet.engine.model import BuildContext, File, Page
from wijknet.engine.registry import Provider
from wijknet.taxonomy import VOCABULARY

INDEX_PATH = "search/index.json"
DOCUMENTS_PATH = "search/documents.json"
TAXONOMY_PATH = "search/taxonomy.json"


def dutch_analysis(build: BuildContext) -> DutchAnalysis:
    """The build's Dutch analysis (shared with matching: see :meth:`BuildContext.dutch_analysis`)."""
    return build.dutch_analysis()


def search_files(build: BuildContext, analysis: DutchAnalysis | None = None, shards: ShardConfig | None = None) -> dict[str, bytes]:
    """The search files, by output path: the complete index, documents and taxonomy, and the
    sharded files the browser loads (manifest, term shards, fragments, dictionary).

    With the build cache (:class:`wijknet.engine.cache.BuildCache`) an entry's analysed
    terms are remembered by its content, and the index and its term shards by all
    documents' terms: an edit that changes no indexed word does not build them again.
    """
    analysis = analysis or dutch_analysis(build)
    catalog = build.catalog
    memo = build.cache
    config = SearchConfig()
    shards = shards or ShardConfig()
    documents = index_documents(catalog, analysis, config, memo=memo if memo.active else None)
    key = index_key(documents, config)

    def index_files() -> tuple[bytes, dict[str, bytes], dict]:
        postings: dict[int, list] = {}
        serialized = serialize_index(documents, config, postings)
        return (dump_json(serialized), *term_files(serialized, config.precision, shards, postings))

    index, terms, terms_about = memo.keyed("search-index", (key, repr(shards)), index_files)
    fragments, fragments_about = fragment_files(build_cards(catalog, build.urls), shards)
    files = {INDEX_PATH: index, **terms, **fragments, MANIFEST_PATH: manifest(terms_about, fragments_about)}
    files[DOCUMENTS_PATH] = dump_json(build_documents(catalog, build.urls))
    files[TAXONOMY_PATH] = dump_json(build_taxonomy(catalog, analysis, build.urls))
    return files


def provide(build: BuildContext) -> Iterable[Page | File]:
    """``search/*.json`` and the search page (template ``zoeken.html``)."""
    files = build.once(search_files)
    for path in sorted(files):
        yield File(path, files[path])
    urls = build.urls
    yield Page(
        urls.output_path(urls.page("zoeken")),
        "zoeken.html",
        {
            "search_manifest": urls.file(MANIFEST_PATH),
            "search_taxonomy": urls.file(TAXONOMY_PATH),
            "search_filters": _filters(build),
            "facet_indexes": [
                (urls.facet_index(vocabulary), VOCABULARY[vocabulary].label_plural)
                for vocabulary in ("themes", "areas", "kinds", "audiences")
            ],
            "entry_count": len(build.catalog.listed),
        },
    )


def _names(vocabulary: str) -> dict[str, str]:
    """A filter's label and its "all" option, from the vocabulary's names."""
    spec = VOCABULARY[vocabulary]
    return {"label": spec.label, "all": f"Alle {spec.label_plural.lower()}"}


def _filters(build: BuildContext) -> list[dict]:
    """The filter selects: kind, theme, area (stadsdelen with their gebieden), only terms
    that have listed entries."""
    catalog = build.catalog
    taxonomy = catalog.taxonomy

    def options(vocabulary: str, terms) -> list[dict]:
        return [
            {"value": term.id, "label": term.label, "count": catalog.facet_count(vocabulary, term.id)}
            for term in terms
            if catalog.facet_count(vocabulary, term.id)
        ]

    areas = taxonomy.areas
    area_groups = []
    for stadsdeel in areas.of_level("stadsdeel"):
        if not catalog.facet_count("areas", stadsdeel.id):
            continue
        inside = [areas.by_id[area_id] for area_id in areas.descendants(stadsdeel.id) if areas.level_of(area_id) == "gebied"]
        area_groups.append({"label": stadsdeel.label, "options": options("areas", [stadsdeel, *inside])})
    return [
        {"name": "soort", **_names("kinds"), "groups": [{"label": "", "options": options("kinds", taxonomy.kinds)}]},
        {"name": "thema", **_names("themes"), "groups": [{"label": "", "options": options("themes", taxonomy.themes)}]},
        {"name": "gebied", **_names("areas"), "groups": area_groups},
    ]


PROVIDER = Provider("search", provide, files_side=True)
"""``search/*.json`` and the ``zoeken`` page."""
