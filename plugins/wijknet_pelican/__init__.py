"""Pelican glue for wijknet: Pelican hosts the build.

The plugin sets the Pelican settings it needs (:mod:`wijknet_pelican.settings`), adds one
generator for the site's own pages (:mod:`wijknet_pelican.generator`) and a writer that
hands Pelican's own output, the news, to the same build (:mod:`wijknet_pelican.writer`).
``wijknet build`` reaches it through the ``wijknet.hosts`` entry point
(:func:`wijknet_pelican.host.build`); ``pelican content`` through ``PLUGINS``.
"""

from __future__ import annotations


def _initialized(pelican) -> None:
    from wijknet_pelican.settings import apply

    apply(pelican.settings)
    pelican.delete_outputdir = False  # a clean build is made by the generator, atomically


def _generators(pelican):
    from wijknet_pelican.generator import WijknetGenerator

    return WijknetGenerator


def _writer(pelican):
    from wijknet_pelican.writer import CollectingWriter

    return CollectingWriter


def _all_generators_finalized(generators) -> None:
    from pelican.generators import ArticlesGenerator

    from wijknet_pelican.generator import WijknetGenerator

    ours = [g for g in generators if isinstance(g, WijknetGenerator)]
    articles = [g for g in generators if isinstance(g, ArticlesGenerator)]
    for generator in ours:
        for news in articles:
            generator.take_news(news)


def register() -> None:
    """Pelican's plugin entry point: connect the plugin to Pelican's signals."""
    from pelican import signals

    signals.initialized.connect(_initialized)
    signals.get_generators.connect(_generators)
    signals.get_writer.connect(_writer)
    signals.all_generators_finalized.connect(_all_generators_finalized)
