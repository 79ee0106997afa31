"""Providers and the plan they make together.

A :class:`Provider` is a named ``provide(build) -> iterable`` of
:class:`~wijknet.engine.model.Page` and :class:`~wijknet.engine.model.File`, with the hooks
it implements (see :mod:`wijknet.engine.hooks`). Which providers make a site is decided by
one composition module, :mod:`wijknet.providers`, which imports them by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from wijknet.engine.hooks import check_implementation
from wijknet.engine.model import BuildContext, File, Page

Provide = Callable[[BuildContext], Iterable[Page | File]]


@dataclass(frozen=True)
class Provider:
    """One provider of pages and files.

    ``files_side``: it makes mostly files and reads nothing another provider prepares, so
    the renderer plans it in a forked process while this one plans the pages.
    ``prepare``: work done once before the build is split over processes (both sides read
    it), e.g. matching.
    ``setup``: work done before anything is planned or written, in the one process that
    later forks: what the pages of both sides read (the map's geometry, which the Cijfers
    page reads too), and a check that may stop the build with the output folder untouched.
    """

    name: str
    provide: Provide
    hooks: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    files_side: bool = False
    prepare: Callable[[BuildContext], Any] | None = None
    setup: Callable[[BuildContext], Any] | None = None

    def __post_init__(self) -> None:
        for name, function in self.hooks.items():
            check_implementation(name, function)


def setup(build: BuildContext) -> None:
    """Run the ``setup`` step of every provider of the build."""
    for provider in build.providers:
        if provider.setup is not None:
            provider.setup(build)


def prepare(build: BuildContext) -> None:
    """Run the ``prepare`` step of every provider of the build."""
    for provider in build.providers:
        if provider.prepare is not None:
            provider.prepare(build)


def plan(build: BuildContext, providers: Iterable[Provider] | None = None, extra: Iterable[Page | File] = ()) -> list[Page | File]:
    """Every page and file of ``providers`` (default: the build's), plus ``extra``, sorted
    by path; duplicate paths are an error."""
    items: dict[str, Page | File] = {}
    chosen = build.providers if providers is None else providers
    for item in (item for provider in chosen for item in provider.provide(build)):
        if item.path in items:
            raise ValueError(f"two outputs for {item.path}")
        items[item.path] = item
    for item in extra:
        if item.path in items:
            raise ValueError(f"two outputs for {item.path}")
        items[item.path] = item
    return [items[path] for path in sorted(items)]
