"""The hooks: what one provider may add to another provider's pages.

Every hook is declared here, once, as a function with a typed signature and a docstring
that says when it is called and what it returns (the declarations are never called). A
provider implements a hook by naming it in its :class:`~wijknet.engine.registry.Provider`
(``hooks={"entry_sections": entry_sections}``); the registry checks that the name is
declared here and the parameters match. A page asks every provider of the build with
:func:`call`, in the order the providers are listed, and gets one result per provider
that implements the hook.

A provider never imports another provider: this file is the only thing they share.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, ParamSpec, TypeVar

if TYPE_CHECKING:
    from wijknet.content.models import Entry
    from wijknet.engine.model import BuildContext

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Section:
    """A part of a page made by another provider: the theme template that renders it
    (included by the page's template, in order) and that template's context."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


def entry_jsonld(build: BuildContext, entry: Entry) -> str:
    """The schema.org JSON-LD of an entry page, as the text of its ``<script
    type="application/ld+json">`` element; ``""`` for none. The entry page uses the first
    non-empty answer."""
    raise NotImplementedError


def page_jsonld(build: BuildContext, page_url: str, trail: list[tuple[str, str]]) -> str:
    """The schema.org JSON-LD every page carries besides its own (its breadcrumbs; on the
    home page also the site and its search box), as the text of a ``<script
    type="application/ld+json">`` element; ``""`` for none. ``trail`` is the page's list of
    (URL, label) links from the home page to the page itself, as the theme's templates set
    it. The page uses the first non-empty answer."""
    raise NotImplementedError


def entry_sections(build: BuildContext, entry: Entry) -> list[Section]:
    """Sections shown on the page of ``entry`` below its description (matching: an open
    question's best matches, or the open questions an offer fits). All answers are shown,
    in provider order."""
    raise NotImplementedError


def home_sections(build: BuildContext) -> list[Section]:
    """Sections of the home page below the featured entries (a place for news from the
    network's coordinators). All answers are shown, in provider order."""
    raise NotImplementedError


def report_sections(build: BuildContext) -> list[Section]:
    """Sections of the Cijfers page below its own counts (the map: listed entries and
    wijken without any, per stadsdeel). All answers are shown, in provider order."""
    raise NotImplementedError


HOOKS: Mapping[str, Callable[..., Any]] = {
    spec.__name__: spec for spec in (entry_jsonld, page_jsonld, entry_sections, home_sections, report_sections)
}
"""Every declared hook by name."""


def check_implementation(name: str, function: Callable[..., Any]) -> None:
    """Raise ``ValueError`` unless ``name`` is a declared hook and ``function`` takes the
    same parameters (a misspelt hook would otherwise add nothing, silently)."""
    spec = HOOKS.get(name)
    if spec is None:
        raise ValueError(f"no such hook: {name} (declared: {', '.join(sorted(HOOKS))})")
    wanted = list(inspect.signature(spec).parameters)
    given = list(inspect.signature(function).parameters)
    if given != wanted:
        raise ValueError(f"hook {name} takes ({', '.join(wanted)}), not ({', '.join(given)})")


def call(build: BuildContext, spec: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> list[R]:
    """The answers of every provider of ``build`` that implements the hook ``spec`` (one of
    the declarations above), in provider order. ``args`` are the hook's arguments."""
    name = spec.__name__
    if HOOKS.get(name) is not spec:
        raise ValueError(f"not a declared hook: {name}")
    return [provider.hooks[name](*args, **kwargs) for provider in build.providers if name in provider.hooks]
