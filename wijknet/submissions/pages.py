"""Page provider: the form to add an entry.

The correction form of an entry ("Klopt er iets niet?") is no static page: the submission
service renders it on request (``GET /inzendingen/wijzigen/<slug>/``), prefilled from the
entry on the main branch; without a service the entry page links to GitHub's edit page. See
:func:`wijknet.submissions.render.correction_url`.
"""

from __future__ import annotations

from typing import Iterable

from wijknet.engine.model import BuildContext, Page
from wijknet.engine.registry import Provider
from wijknet.submissions.render import form_context


def provide(build: BuildContext) -> Iterable[Page]:
    """``aanmelden/index.html``."""
    urls = build.urls
    yield Page(urls.output_path(urls.page("aanmelden")), "aanmelden.html", form_context(build))


PROVIDER = Provider("submissions", provide)
"""The form to add an entry (aanmelden)."""
