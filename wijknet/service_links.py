"""Where the submission service lives and where "Klopt er iets niet?" on an entry page leads.

Neutral ground: the site's entry pages link to the correction form, the form page posts to
the service, and the service itself answers there. ``SUBMISSIONS_URL`` wins over
``site.yaml``; :func:`correction_url` decides between the service's correction form and
GitHub's edit page.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from wijknet.settings import submissions_url as resolve_submissions_url

CORRECTION_PREFIX = "/inzendingen/wijzigen/"
"""The service's correction form of an entry lives at ``<service>/inzendingen/wijzigen/<slug>/``."""


def submissions_url(settings) -> str:
    """Where the service lives (see :func:`wijknet.settings.submissions_url`, the one
    resolver: ``SUBMISSIONS_URL`` wins over ``site.yaml``; empty means none)."""
    return resolve_submissions_url(settings)


def endpoint_of(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/api/inzendingen" if base_url else ""


def correction_path(slug: str) -> str:
    """The path of an entry's correction form on the service: ``/inzendingen/wijzigen/<slug>/``."""
    return f"{CORRECTION_PREFIX}{quote(slug)}/"


def correction_via(settings) -> str:
    """How "Klopt er iets niet?" works: ``"dienst"`` (the service), ``"github"`` or ``""`` (neither)."""
    if submissions_url(settings):
        return "dienst"
    return "github" if settings.repository else ""


def correction_url(settings, entry: Entry) -> str:
    """Where "Klopt er iets niet?" on an entry page leads; ``""`` when there is nowhere to go.

    With a service: its server-rendered form, prefilled from the entry on the main branch.
    Without one: GitHub's edit page of the entry's file (visitors need a GitHub account).
    """
    via = correction_via(settings)
    if via == "dienst":
        return submissions_url(settings).rstrip("/") + correction_path(entry.slug)
    if via == "github":
        return github_edit_url(settings.repository, settings.branch, f"{settings.content_dir.strip('/')}/{entry.slug}.md")
    return ""


def github_new_url(repository: str, branch: str, path: str, text: str) -> str:
    """GitHub's "new file" page with the file name and text filled in."""
    query = urlencode({"filename": path, "value": text}, quote_via=quote)
    return f"https://github.com/{repository}/new/{quote(branch)}?{query}"


def github_edit_url(repository: str, branch: str, path: str) -> str:
    return f"https://github.com/{repository}/edit/{quote(branch)}/{quote(path)}"
