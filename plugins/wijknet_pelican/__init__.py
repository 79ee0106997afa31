"""Pelican glue for wijknet: one generator that turns the validated Catalog into the site.

Everything else (loading, validation, the page plan, formatting) lives in ``wijknet/``.
"""

from __future__ import annotations


def _generators(pelican):
    from wijknet_pelican.generator import WijknetGenerator

    return WijknetGenerator


def register() -> None:
    """Pelican's plugin entry point: add our generator through the ``get_generators`` signal."""
    from pelican import signals

    signals.get_generators.connect(_generators)
