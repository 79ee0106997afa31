"""The exports provider: its place in the registry, its paths, and reproducible bytes."""

from __future__ import annotations

import datetime as dt

from wijknet import providers
from wijknet.engine import hooks
from wijknet.engine.model import BuildContext, File
from wijknet.engine.urls import Urls
from wijknet.exports import PROVIDER, provide


def test_registered_as_a_provider():
    assert PROVIDER in providers.PROVIDERS
    assert PROVIDER.provide is provide
    assert "entry_jsonld" in PROVIDER.hooks  # JSON-LD on entry pages goes through the hook


def test_entry_pages_get_the_json_ld_through_the_hook(catalog, urls):
    build = providers.site_build(catalog, urls)
    entry = catalog.entries[0]
    [text] = hooks.call(build, hooks.entry_jsonld, build, entry)
    assert '"@context"' in text and entry.title in text


def test_contract_paths(outputs, catalog):
    for path in ("data/initiatieven.json", "data/initiatieven.csv", "agenda.ics", "feeds/all.atom.xml",
                 "sitemap.xml", "robots.txt", "feeds/thema/voeding.atom.xml", "feeds/gebied/oost.atom.xml"):
        assert path in outputs, path
    assert all(isinstance(content, bytes) and content for content in outputs.values())


def test_files_only_and_unique_paths(catalog, urls):
    items = list(provide(BuildContext(catalog, urls)))
    assert all(isinstance(item, File) for item in items)
    assert len({item.path for item in items}) == len(items)


def test_two_builds_give_identical_bytes(fresh_catalog):
    def run():
        catalog = fresh_catalog()
        return {f.path: f.content for f in provide(BuildContext(catalog, Urls(catalog.settings.site_url)))}

    assert run() == run()


def test_build_date_changes_only_what_depends_on_it(fresh_catalog, outputs):
    later = fresh_catalog(dt.date(2027, 2, 20))
    files = {f.path: f.content for f in provide(BuildContext(later, Urls(later.settings.site_url)))}
    assert b"concert-in-de-kerk@" not in files["agenda.ics"]  # over by then
    assert b"buurtmarkt-hele-stad@" in files["agenda.ics"]
    assert files["data/initiatieven.json"] == outputs["data/initiatieven.json"]


def test_site_under_a_path(catalog):
    settings = catalog.settings.model_copy(update={"site_url": "https://example.org/buurt"})
    moved = type(catalog)(entries=catalog.entries, taxonomy=catalog.taxonomy, settings=settings, today=catalog.today)
    files = {f.path: f.content for f in provide(BuildContext(moved, Urls(settings.site_url)))}
    assert "feeds/all.atom.xml" in files  # paths stay relative to the output folder
    assert b"https://example.org/buurt/initiatieven/concert-in-de-kerk/" in files["agenda.ics"].replace(b"\r\n ", b"")
    assert b"UID:concert-in-de-kerk@example.org\r\n" in files["agenda.ics"]
    assert b"Sitemap: https://example.org/buurt/sitemap.xml" in files["robots.txt"]
    assert b"<loc>https://example.org/buurt/</loc>" in files["sitemap.xml"]
