"""Page provider: the form to add an entry and one correction form per entry."""

from __future__ import annotations

from typing import Iterable

from wijknet.site.model import BuildContext, Page
from wijknet.submissions import form
from wijknet.submissions.render import form_context


def correction_url(build: BuildContext, slug: str) -> str:
    """``/initiatieven/<slug>/wijzigen/``: the "Klopt er iets niet?" form of one entry."""
    return build.urls.entry(slug) + "wijzigen/"


def provide(build: BuildContext) -> Iterable[Page]:
    """``aanmelden/index.html`` and ``initiatieven/<slug>/wijzigen/index.html`` for every entry."""
    urls = build.urls
    yield Page(urls.output_path(urls.page("aanmelden")), "aanmelden.html", form_context(build))
    for entry in build.catalog.entries:
        context = form_context(build, values=form.form_values(entry), entry=entry)
        yield Page(urls.output_path(correction_url(build, entry.slug)), "wijzigen.html", context)
