"""The form pages' context, shared by the site build (``pages.py``) and the service.

The site build renders the empty form to add an entry. The service renders the correction
form of an entry (``GET /inzendingen/wijzigen/<slug>/``), and the forms again when someone
without JavaScript posts one: with their input kept and errors beside the fields, or the
thank-you page. Both use the theme's base template and filters.

Where "Klopt er iets niet?" on an entry page leads is decided in
:mod:`wijknet.service_links` (the site pages need it too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote

from jinja2 import Environment

from wijknet.content.models import Entry
from wijknet.engine.model import BuildContext
from wijknet.engine.templates import make_environment
from wijknet.submissions import form
from wijknet.service_links import (  # noqa: F401  (this module's interface too)
    CORRECTION_PREFIX,
    correction_path,
    correction_url,
    correction_via,
    endpoint_of,
    github_edit_url,
    github_new_url,
    submissions_url,
)
from wijknet.submissions.intake import FieldError

NEW_FILE_NAME = "nieuw-initiatief"
TOKEN_SUFFIX = "/token"
"""A form token comes from ``<endpoint>/token`` (``GET /api/inzendingen/token``)."""


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


def form_spec(build: BuildContext) -> form.FormSpec:
    """The form's fields from the models and taxonomy, made once per build."""
    return form.build_form(build.catalog.taxonomy)


def github_fallback(build: BuildContext) -> dict[str, Any]:
    """:func:`_github_fallback` of the build's settings, made once per build."""
    return _github_fallback(build.catalog.settings)


def form_config(build: BuildContext, endpoint: str) -> str:
    """The JSON configuration ``form.js`` reads, for one endpoint, made once per build."""
    settings = build.catalog.settings
    return form.json_for_html(
        form.js_config(
            build.once(form_spec),
            endpoint=endpoint,
            repository=settings.repository,
            branch=settings.branch,
            content_dir=settings.content_dir,
        )
    )


def form_context(
    build: BuildContext,
    *,
    values: Mapping[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    entry: Entry | None = None,
    token: str = "",
    notice: str = "",
    endpoint: str | None = None,
) -> dict[str, Any]:
    """Context for ``aanmelden.html`` and ``wijzigen.html`` (``entry``: the one being corrected).

    ``endpoint`` overrides where the form posts (the service passes its own address).
    ``token``: the form token the service rendered the page with (the static page has none;
    form.js fetches one). ``notice``: a line above the form.
    """
    catalog = build.catalog
    settings = catalog.settings
    spec = build.once(form_spec)
    if endpoint is None:
        endpoint = endpoint_of(submissions_url(settings))

    by_field, summary = error_map(errors or [], spec)
    return {
        "form": spec,
        "values": dict(values or {}),
        "errors": by_field,
        "error_summary": summary,
        "correcting": entry,
        "endpoint": endpoint,
        "token_endpoint": endpoint + TOKEN_SUFFIX if endpoint else "",
        **build.once(github_fallback),
        "form_config": build.once(form_config, endpoint),
        "token": token,
        "notice": notice,
        "honeypot_name": form.HONEYPOT,
    }


def environment(theme_dir: Path, build: BuildContext) -> Environment:
    """The theme's Jinja environment with the same filters and globals as the site build."""
    return make_environment(Path(theme_dir), build)


def theme_environment(build: BuildContext, theme_dir: Path) -> Environment:
    """:func:`environment`, made once per loaded build (``build.once(theme_environment, theme)``)."""
    return environment(theme_dir, build)


def render(
    env: Environment, build: BuildContext, path: str, template: str, context: Mapping[str, Any], page_url: str | None = None
) -> str:
    """Render one page as the site build would at output ``path`` (or at ``page_url``, a page
    that only the service serves)."""
    url = page_url if page_url is not None else build.urls.url_of_output(path)
    return env.get_template(template).render(page_url=url, **context)
