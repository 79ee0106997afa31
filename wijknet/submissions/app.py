"""The submission service: a Starlette app (``create_app(settings)``) for any ASGI server.

``GET /inzendingen/wijzigen/<slug>/`` shows the correction form of an entry ("Klopt er iets
niet?"), rendered on request and prefilled from the entry as it is on the base branch. It
only renders (rate-limited per client, ``404`` page for an unknown entry); the form posts
to the API below like every other form. The service also serves the theme's ``/static/``
files, so that page looks and works the same when the service runs on its own host.

``POST /api/inzendingen`` takes a form post or JSON. Abuse control comes first and is
separate from validation: Origin allowlist (403), rate limit per client (429), body size
(413), content type (415), honeypot and minimum fill time (403). Then the submission is
validated with the content models (422) and stored in the spool; only after the spool
commit does the service answer 202. Every error has one shape::

    {"status": "fout", "code": "...", "errors": [{"field": ..., "message": ...}]}

Form posts from browsers without JavaScript get HTML instead: the thank-you page, or the
form again with the input kept and the errors beside the fields.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import logging
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from wijknet.content.catalog import Catalog, entry_files, load_catalog
from wijknet.content.models import Entry, ValidationContext
from wijknet.project import Project, today_in
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls
from wijknet.slugs import is_valid_slug
from wijknet.submissions import form, render
from wijknet.submissions.corrections import BranchEntries
from wijknet.submissions.forges import make_forge
from wijknet.submissions.intake import FieldError, SiteState, service_message, validate_submission
from wijknet.submissions.publisher import Publisher
from wijknet.submissions.settings import ServiceSettings, origin_of
from wijknet.submissions.spool import Spool, Stored

log = logging.getLogger("wijknet.submissions")

API_PATH = "/api/inzendingen"
CORRECTION_ROUTE = render.CORRECTION_PREFIX + "{slug:str}/"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
REFRESH_SECONDS = 5.0


class Rejected(Exception):
    """A request turned away before or during validation; carries the one error shape."""

    def __init__(self, status: int, code: str, errors: list[FieldError], headers: dict[str, str] | None = None):
        super().__init__(code)
        self.status, self.code, self.errors, self.headers = status, code, errors, headers or {}


def error_body(code: str, errors: list[FieldError]) -> dict[str, Any]:
    return {"status": "fout", "code": code, "errors": [error.as_dict() for error in errors]}


class RateLimiter:
    """At most N requests per window per client, in memory (one service process)."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._hits: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float) -> float | None:
        """Count one hit; ``None`` if allowed, else seconds until the next one is."""
        with self._lock:
            hits = self._hits.setdefault(client, collections.deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients so memory stays bounded
                for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                    del self._hits[key]
            return None

    def give_back(self, client: str) -> None:
        """Validation errors do not count: fixing a typo must not lock anyone out."""
        with self._lock:
            hits = self._hits.get(client)
            if hits:
                hits.pop()


@dataclass
class _Loaded:
    state: SiteState
    build: BuildContext
    signature: tuple
    checked: float


class SiteSource:
    """The taxonomy, settings and entries of the repository, reloaded when files change."""

    def __init__(self, project: Project, today_fn):
        self.project = project
        self.today_fn = today_fn
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def _signature(self) -> tuple:
        paths = [self.project.settings_path, *sorted(self.project.taxonomy_dir.glob("*.yaml"))]
        paths += entry_files(self.project.content)
        stats = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            stats.append((str(path), stat.st_mtime_ns, stat.st_size))
        return (self.today_fn(), tuple(stats))

    def _load(self, signature: tuple) -> _Loaded:
        settings = self.project.load_settings()
        taxonomy = self.project.load_taxonomy()
        today = signature[0]
        result = load_catalog(self.project.content, taxonomy, settings, today)
        # Invalid files elsewhere must not stop new submissions: use the entries that load.
        entries = tuple(r.entry for r in result.results if r.entry is not None)
        catalog = result.catalog or Catalog(entries=entries, taxonomy=taxonomy, settings=settings, today=today)
        slugs = frozenset(path.stem for path in entry_files(self.project.content))
        state = SiteState(taxonomy=taxonomy, settings=settings, entries=catalog.by_slug, slugs=slugs)
        return _Loaded(state, BuildContext(catalog=catalog, urls=Urls(settings.site_url)), signature, time.monotonic())

    def get(self) -> _Loaded:
        with self._lock:
            loaded = self._loaded
            if loaded is not None and time.monotonic() - loaded.checked < REFRESH_SECONDS:
                return loaded
            signature = self._signature()
            if loaded is None or signature != loaded.signature:
                self._loaded = self._load(signature)
            else:
                loaded.checked = time.monotonic()
            return self._loaded


def _client(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def _wants_html(request: Request, content_type: str) -> bool:
    accept = request.headers.get("accept", "")
    return content_type == "application/x-www-form-urlencoded" and "application/json" not in accept and "text/html" in accept


def create_app(settings: ServiceSettings, *, start_publisher: bool = True, theme_dir: Path | None = None) -> Starlette:
    """The ASGI app for ``settings``. The publisher runs while the app's lifespan runs."""
    project = Project.at(settings.repo)
    site_settings = project.load_settings()
    timezone = site_settings.timezone

    def today() -> dt.date:
        return settings.today or today_in(timezone)

    source = SiteSource(project, today)
    spool = Spool(settings.spool)
    base_branch = settings.base_branch or site_settings.branch
    forge = make_forge(settings, site_settings.content_dir, base_branch)
    publisher = Publisher(spool, forge, settings)
    limiter = RateLimiter(*settings.rate_limit)
    page_limiter = RateLimiter(*settings.page_rate_limit)  # GETs have their own budget
    branch_entries = BranchEntries(settings.repo, site_settings.content_dir, base_branch)
    theme = theme_dir or next(
        (path for path in (settings.repo / "theme", PACKAGE_ROOT / "theme") if (path / "templates").is_dir()),
        settings.repo / "theme",
    )
    allowed = {origin_of(site_settings.site_url), *settings.allowed_origins}
    if site_settings.submissions_url:
        allowed.add(origin_of(site_settings.submissions_url))
    allowed.discard("")

    def environment(loaded: _Loaded):
        return loaded.build.once(render.theme_environment, theme)

    def check_origin(request: Request) -> None:
        origin = request.headers.get("origin")
        if origin is None:
            return  # not a browser form or fetch (curl, a script): nothing cross-site to stop
        own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
        if origin.lower() not in allowed and origin.lower() != own:
            raise Rejected(403, "bad_origin", [FieldError(None, service_message("bad_origin"))])

    async def read_body(request: Request) -> bytes:
        length = request.headers.get("content-length")
        too_large = Rejected(413, "too_large", [FieldError(None, service_message("too_large", max=settings.max_body_bytes // 1024))])
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            raise too_large
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > settings.max_body_bytes:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    def parse(body: bytes, content_type: str) -> dict[str, Any]:
        if content_type == "application/json":
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise Rejected(422, "invalid", [FieldError(None, service_message("bad_json"))]) from None
            if not isinstance(data, dict):
                raise Rejected(422, "invalid", [FieldError(None, service_message("bad_json"))])
            return data
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=500)
        except (UnicodeDecodeError, ValueError):
            raise Rejected(422, "invalid", [FieldError(None, service_message("bad_json"))]) from None
        data, unknown = form.nested_from_flat(pairs)
        for name in unknown:
            data[name] = "?"  # reported by the allowlist check in validation
        return data

    def check_abuse(data: dict[str, Any]) -> None:
        if str(data.get(form.HONEYPOT) or "").strip():
            raise Rejected(403, "honeypot", [FieldError(None, service_message("honeypot"))])
        loaded_at = _millis(data.get(form.LOADED_AT))
        if loaded_at is None:
            return  # a browser without JavaScript on the static page has no timestamp
        sent_at = _millis(data.get(form.SENT_AT))
        elapsed = ((sent_at if sent_at is not None else time.time() * 1000) - loaded_at) / 1000
        if elapsed < settings.min_fill_seconds:
            raise Rejected(403, "too_fast", [FieldError(None, service_message("too_fast"))])

    def html_page(
        loaded: _Loaded, template: str, context: dict[str, Any], path: str, status: int, page_url: str | None = None
    ) -> HTMLResponse:
        text = render.render(environment(loaded), loaded.build, path, template, context, page_url=page_url)
        return HTMLResponse(text, status_code=status)

    def correction_entry(loaded: _Loaded, slug: str) -> Entry | None:
        """The entry as on the base branch; the working tree's only without git or branch."""
        if not is_valid_slug(slug):
            return None
        if branch_entries.commit() is None:
            return loaded.build.catalog.by_slug.get(slug)
        context = ValidationContext(taxonomy=loaded.state.taxonomy, settings=loaded.state.settings, today=today())
        return branch_entries.get(slug, context)

    def correction_page(loaded: _Loaded, entry: Entry, values: dict[str, Any], errors: list[FieldError], status: int) -> HTMLResponse:
        context = render.form_context(
            loaded.build, values=values, errors=errors, entry=entry, loaded_at=str(int(time.time() * 1000)), endpoint=API_PATH
        )
        path = render.correction_path(entry.slug)
        response = html_page(loaded, "wijzigen.html", context, path.lstrip("/") + "index.html", status, page_url=path)
        response.headers["Cache-Control"] = "no-store"  # it carries the time it was shown
        return response

    def notice_page(loaded: _Loaded, status: int, heading: str, text: str, headers: dict[str, str] | None = None) -> HTMLResponse:
        path = "inzendingen/index.html"
        context = {"heading": heading, "text": text, "status": status}
        response = html_page(loaded, "inzending_melding.html", context, path, status, page_url="/inzendingen/")
        response.headers.update(headers or {})
        return response

    def form_page(loaded: _Loaded, data: dict[str, Any], errors: list[FieldError], values: dict[str, Any]) -> HTMLResponse:
        target = str(data.get(form.CORRECTS) or "")
        entry = (correction_entry(loaded, target) or loaded.build.catalog.by_slug.get(target)) if target else None
        if entry is not None:
            return correction_page(loaded, entry, values, errors, 422)
        urls = loaded.build.urls
        context = render.form_context(
            loaded.build, values=values, errors=errors, loaded_at=str(int(time.time() * 1000)), endpoint=API_PATH
        )
        return html_page(loaded, "aanmelden.html", context, urls.output_path(urls.page("aanmelden")), 422)

    async def show_correction(request: Request) -> Response:
        """``GET /inzendingen/wijzigen/<slug>/``: the correction form, prefilled; it only renders."""
        loaded: _Loaded = await run_in_threadpool(source.get)
        wait = page_limiter.take(_client(request), time.time())
        if wait is not None:
            return notice_page(
                loaded, 429, "Even geduld", service_message("pages_rate_limited"), {"Retry-After": str(int(wait) + 1)}
            )
        slug = request.path_params["slug"]
        entry = await run_in_threadpool(correction_entry, loaded, slug)
        if entry is None:
            return notice_page(loaded, 404, "Dit initiatief bestaat niet (meer)", service_message("unknown_page", value=slug[:80]))
        return await run_in_threadpool(correction_page, loaded, entry, form.form_values(entry), [], 200)

    def rejected_response(request: Request, error: Rejected, html: bool, loaded: _Loaded | None) -> Response:
        if html and loaded is not None:
            back = request.headers.get("referer") or loaded.build.urls.page("aanmelden")
            context = {"problems": [e.as_dict() for e in error.errors], "back_url": back}
            path = loaded.build.urls.output_path(loaded.build.urls.page("inzending"))
            response: Response = html_page(loaded, "inzending_fout.html", context, path, error.status)
        else:
            response = JSONResponse(error_body(error.code, error.errors), status_code=error.status)
        response.headers.update(error.headers)
        return response

    async def submit(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        html = _wants_html(request, content_type)
        loaded: _Loaded | None = await run_in_threadpool(source.get) if html else None
        client = _client(request)
        now = time.time()
        counted = False
        try:
            check_origin(request)
            wait = limiter.take(client, now)
            if wait is not None:
                raise Rejected(
                    429, "rate_limited", [FieldError(None, service_message("rate_limited"))], {"Retry-After": str(int(wait) + 1)}
                )
            counted = True
            body = await read_body(request)
            if content_type not in ("application/json", "application/x-www-form-urlencoded"):
                raise Rejected(415, "unsupported_media_type", [FieldError(None, service_message("unsupported_media_type"))])
            data = parse(body, content_type)
            check_abuse(data)
            if loaded is None:
                loaded = await run_in_threadpool(source.get)
            client_key = request.headers.get("idempotency-key") or str(data.get(form.CLIENT_KEY) or "")
            result = await run_in_threadpool(validate_submission, data, loaded.state, today(), client_key[:200])
            if result.candidate is None:
                limiter.give_back(client)
                counted = False
                if html:
                    return await run_in_threadpool(form_page, loaded, data, result.errors, result.values)
                raise Rejected(422, "invalid", result.errors)
            stored, created = await run_in_threadpool(spool.add, result.candidate, loaded.state.slugs)
        except Rejected as error:
            if error.code == "invalid" and counted:
                limiter.give_back(client)
            return rejected_response(request, error, html, loaded)
        if created:
            publisher.wake()
        if html:
            path = loaded.build.urls.output_path(loaded.build.urls.page("inzending"))
            return html_page(loaded, "inzending_bedankt.html", {"submission": stored}, path, 202)
        return JSONResponse(stored.public(), status_code=202, headers={"Location": f"{API_PATH}/{stored.id}"})

    async def status(request: Request) -> Response:
        submission_id = request.path_params["submission_id"]
        stored: Stored | None = await run_in_threadpool(spool.get, submission_id)
        if stored is None:
            return JSONResponse(error_body("not_found", [FieldError(None, service_message("not_found"))]), status_code=404)
        return JSONResponse(stored.public())

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await run_in_threadpool(source.get)  # load the content once before the first request
        if start_publisher:
            publisher.start()
        try:
            yield
        finally:
            publisher.stop()
            spool.close()

    routes: list[Any] = [
        Route(API_PATH, submit, methods=["POST"]),
        Route(API_PATH + "/{submission_id:str}", status, methods=["GET"]),
        Route(CORRECTION_ROUTE, show_correction, methods=["GET"]),
    ]
    if (theme / "static").is_dir():
        static_url = Urls(site_settings.site_url).static("").rstrip("/")
        routes.append(Mount(static_url, app=StaticFiles(directory=str(theme / "static"))))
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=sorted(allowed),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept", "Idempotency-Key"],
                max_age=3600,
            )
        ],
        lifespan=lifespan,
    )
    app.state.spool = spool
    app.state.publisher = publisher
    app.state.settings = settings
    return app


def _millis(value: Any) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def app_from_env() -> Starlette:
    """Entry point for ASGI servers: ``uvicorn --factory wijknet.submissions.app:app_from_env``."""
    return create_app(ServiceSettings.from_env())
