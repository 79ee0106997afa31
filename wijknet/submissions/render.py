"""The form pages' context, shared by the site build (``pages.py``) and the service.

The site build renders the empty form to add an entry. The service renders the correction
form of an entry (``GET /inzendingen/wijzigen/<slug>/``), and the forms again when someone
without JavaScript posts one: with their input kept and errors beside the fields, or the
thank-you page. Both use the theme's base template and filters.

Where "Klopt er iets niet?" on an entry page leads is decided here, in
:func:`correction_url`: the service's correction form when a service is configured, else
GitHub's edit page of the entry's file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from wijknet.content.models import Entry
from wijknet.settings import submissions_url
from wijknet.site.model import BuildContext
from wijknet.submissions import form
from wijknet.submissions.intake import FieldError

CORRECTION_PREFIX = "/inzendingen/wijzigen/"
"""The service's correction form of an entry lives at ``<service>/inzendingen/wijzigen/<slug>/``."""

FORM_KEY = "submissions.form"
CONFIG_KEY = "submissions.config"
FALLBACK_KEY = "submissions.github_fallback"
ENVIRONMENT_KEY = "submissions.environment"
NEW_FILE_NAME = "nieuw-initiatief"


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


def _skeleton() -> str:
    """A file to start from on GitHub when there is no JavaScript and no service."""
    lines = ["---"]
    for key in ("titel", "soort", "samenvatting", "themas", "werkgebied"):
        lines.append(f"{key}: ")
    lines += ["contact:", "  email: ", "gecontroleerd: ", "---", "Vertel hier meer over je initiatief.", ""]
    return "\n".join(lines)


def error_map(errors: list[FieldError], spec: form.FormSpec) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    """Errors by field name, and the summary list with the id each message links to."""
    ids = spec.item_ids()
    by_field: dict[str, list[str]] = {}
    summary: list[dict[str, str]] = []
    for error in errors:
        name = error.field or ""
        if name not in ids:
            top = name.split(".", 1)[0]
            name = top if top in ids else ""
        by_field.setdefault(name, []).append(error.message)
        summary.append({"target": ids.get(name, "formulier"), "message": error.message, "field": name})
    return by_field, summary


def _github_fallback(settings) -> dict[str, Any]:
    """The form's way to GitHub's "new file" page when there is no JavaScript and no service."""
    # Only the form to add an entry exists without a service (the correction form is the
    # service's own page), so the GitHub fallback is always GitHub's "new file" page.
    path = f"{settings.content_dir.strip('/')}/{NEW_FILE_NAME}.md"
    skeleton = _skeleton()
    return {
        "github_fallback_url": github_new_url(settings.repository, settings.branch, path, skeleton) if settings.repository else "",
        "github_fallback_action": f"https://github.com/{settings.repository}/new/{quote(settings.branch)}" if settings.repository else "",
        # a GET form replaces the action's query, so the file travels as hidden fields
        "github_fallback_fields": {"filename": path, "value": skeleton},
    }


def form_context(
    build: BuildContext,
    *,
    values: Mapping[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    entry: Entry | None = None,
    loaded_at: str = "",
    endpoint: str | None = None,
) -> dict[str, Any]:
    """Context for ``aanmelden.html`` and ``wijzigen.html`` (``entry``: the one being corrected).

    ``endpoint`` overrides where the form posts (the service passes its own address).
    """
    catalog = build.catalog
    settings = catalog.settings
    spec = build.once(FORM_KEY, lambda: form.build_form(catalog.taxonomy))
    if endpoint is None:
        endpoint = endpoint_of(submissions_url(settings))

    def config() -> str:
        return form.json_for_html(
            form.js_config(
                spec,
                endpoint=endpoint,
                repository=settings.repository,
                branch=settings.branch,
                content_dir=settings.content_dir,
            )
        )

    by_field, summary = error_map(errors or [], spec)
    return {
        "form": spec,
        "values": dict(values or {}),
        "errors": by_field,
        "error_summary": summary,
        "correcting": entry,
        "endpoint": endpoint,
        **build.once(FALLBACK_KEY, lambda: _github_fallback(settings)),
        "form_config": build.once(f"{CONFIG_KEY}:{endpoint}", config),
        "loaded_at": loaded_at,
        "honeypot_name": form.HONEYPOT,
    }


def environment(theme_dir: Path, build: BuildContext) -> Environment:
    """The theme's Jinja environment with the same filters and globals as the site build."""
    from wijknet.site.format import template_filters, template_globals

    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(template_filters(build.catalog))
    env.globals.update(template_globals(build))
    return env


def render(
    env: Environment, build: BuildContext, path: str, template: str, context: Mapping[str, Any], page_url: str | None = None
) -> str:
    """Render one page as the site build would at output ``path`` (or at ``page_url``, a page
    that only the service serves)."""
    url = page_url if page_url is not None else build.urls.url_of_output(path)
    return env.get_template(template).render(page_url=url, **context)
