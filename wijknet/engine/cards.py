"""Entry cards rendered once per build.

An entry's card (``partials/entry_card.html``) appears on many pages: its kind, its themes
and target groups, every area above it, the overview, related lists. Including the card
template for every card on every page was most of the time of a full build, so list
templates call the ``entry_card`` global instead, which renders each card once per build
and returns the same HTML (as ``Markup``) every time after.

A card shows only the entry, the build-wide inputs (taxonomy, settings, date, URLs) and the
two arguments, never the page it is on, so it is keyed by exactly those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import pass_environment
from markupsafe import Markup



CARD_TEMPLATE = "partials/entry_card.html"
_PLAIN = (str, int, float, bool, type(None))


class CardRenderer:
    """Renders and remembers cards for one build. With ``persist`` set (a fingerprint of the
    templates, see :func:`wijknet.engine.render.render_site`) cards are also remembered between
    builds in the build cache, by the entry's content digest."""

    def __init__(self, build) -> None:
        self._build = build
        self._cards: dict[tuple, tuple] = {}  # (env id, entry id, level, reason) → (env, entry, html)
        self.persist: str | None = None

    def card(self, env, entry, heading_level: Any = 3, show_reason: Any = False) -> Markup:
        """The card of ``entry`` as rendered by ``env``."""
        key = (id(env), id(entry), heading_level, show_reason)
        known = self._cards.get(key)
        if known is None or known[0] is not env or known[1] is not entry:
            known = (env, entry, self._render(env, entry, heading_level, show_reason))
            self._cards[key] = known
        return known[2]

    def _render(self, env, entry, heading_level, show_reason) -> Markup:
        def render() -> str:
            template = env.get_template(CARD_TEMPLATE)
            return template.render(entry=entry, heading_level=heading_level, show_reason=show_reason)

        memo = self._build.cache
        digest = memo.digest_of(entry) if self.persist and memo.active else None
        if digest is None or not isinstance(heading_level, _PLAIN) or not isinstance(show_reason, _PLAIN):
            return Markup(render())
        key = (entry.slug, digest, self.persist, heading_level, show_reason)
        return Markup(memo.keyed("cards", key, render))

    def warm(self, env, entries: Iterable) -> None:
        """Render the default card of each entry now (before forking, so every worker has it)."""
        for entry in entries:
            self.card(env, entry)


def entry_card_global(build) -> Callable[..., Markup]:
    """The ``entry_card(entry, heading_level=3, show_reason=False)`` template global; its
    :class:`CardRenderer` is its ``renderer`` attribute."""
    renderer = CardRenderer(build)

    @pass_environment
    def entry_card(env, entry, heading_level=3, show_reason=False) -> Markup:
        return renderer.card(env, entry, heading_level, show_reason)

    entry_card.renderer = renderer  # type: ignore[attr-defined]
    return entry_card
