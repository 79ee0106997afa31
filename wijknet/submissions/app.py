"""The submission service: a Starlette app (``create_app(settings)``) for any ASGI server.

``GET /inzendingen/wijzigen/<slug>/`` shows the correction form of an entry ("Klopt er iets
niet?"), rendered on request and prefilled from the entry as it is on the base branch. It
only renders (rate-limited per client, ``404`` page for an unknown entry); the form posts
to the API below like every other form. The service also serves the theme's ``/static/``
files, so that page looks and works the same when the service runs on its own host.

``GET /api/inzendingen/token`` hands out a form token (:mod:`wijknet.submissions.tokens`):
the service's signed word for when a form was shown, which every post must carry.

``POST /api/inzendingen`` takes a form post or JSON. Abuse control comes first and is
separate from validation: Origin allowlist (403), rate limit per client (429), body size
(413), content type (415), honeypot and the form token: missing, forged, expired or younger
than the minimum fill time (403). Then the submission is validated with the content models
(422) and stored in the spool; only after the spool commit does the service answer 202.
Every error has one shape::

    {"status": "fout", "code": "...", "errors": [{"field": ..., "message": ...}]}

Form posts from browsers without JavaScript get HTML instead: the thank-you page, or the
form again with the input kept and the errors beside the fields. The static form page has
no token without JavaScript; its post gets the form back, input kept and now with a token,
to send once more.

The handlers are module-level functions. What they share (settings, spool, publisher, rate
limiters, the site's content) is one :class:`SubmissionService`, made per app by
:func:`create_app` and found on ``request.app.state.service``.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import json
import logging
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from wijknet.content.catalog import Catalog, entry_files, load_catalog
from wijknet.content.models import Entry, ValidationContext
from wijknet.content.rules import RefusedCharacter
from wijknet.http_headers import SecurityHeaders, security_headers
from wijknet.project import Project, today_in
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls
from wijknet.safe_text import escape_controls
from wijknet.settings import SiteSettings, submissions_url
from wijknet.slugs import is_valid_slug
from wijknet.submissions import form, render
from wijknet.submissions.corrections import BranchEntries
from wijknet.submissions.forges import make_forge
from wijknet.submissions.intake import FieldError, SiteState, character_error, service_message, validate_submission
from wijknet.submissions.publisher import Publisher
from wijknet.submissions.settings import ServiceConfigError, ServiceSettings, origin_of
from wijknet.submissions.spool import Spool, Stored
from wijknet.submissions.tokens import MESSAGES as TOKEN_MESSAGES
from wijknet.submissions.tokens import FormTokens, SecretError, TokenProblem, load_secret

log = logging.getLogger("wijknet.submissions")

API_PATH = "/api/inzendingen"
TOKEN_PATH = API_PATH + render.TOKEN_SUFFIX
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


def _rejected(status: int, code: str, headers: dict[str, str] | None = None, **params: Any) -> Rejected:
    """A rejection with one general (not per-field) message, named like its code."""
    return Rejected(status, code, [FieldError(None, service_message(code, **params))], headers)


def _unreadable_body() -> Rejected:
    return Rejected(422, "invalid", [FieldError(None, service_message("bad_json"))])


# Answers about the request itself rather than the submission, in the same error shape.
HTTP_MESSAGES = {
    "not_found": (404, "Dit adres bestaat niet bij de inzendservice."),
    "method_not_allowed": (405, "Dit adres werkt niet met {method}. Gebruik {allowed}."),
    "bad_request": (400, "Het verzoek kon niet gelezen worden."),
    "bad_cors": (400, "Deze website mag de inzendservice niet gebruiken ({detail})."),
    "server_error": (500, "Er ging iets mis bij de inzendservice. Probeer het later nog eens."),
}


def http_error(code: str, headers: dict[str, str] | None = None, status: int | None = None, **params: Any) -> JSONResponse:
    default_status, text = HTTP_MESSAGES[code]
    body = error_body(code, [FieldError(None, text.format(**params))])
    return JSONResponse(body, status_code=status or default_status, headers=headers)


def _character_problem(data: Any, path: str = "") -> FieldError | None:
    """The first text in ``data`` (keys included) with a lone surrogate: text that cannot be
    stored or written as UTF-8. Named by its field, as every validation error is."""
    if isinstance(data, str):
        for char in data:
            if 0xD800 <= ord(char) <= 0xDFFF:
                # the path may hold the surrogate itself (in a key): shown escaped
                return character_error(escape_controls(path), RefusedCharacter(char))
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else str(key)
            problem = _character_problem(key, inner) or _character_problem(value, inner)
            if problem is not None:
                return problem
    elif isinstance(data, list):
        for index, value in enumerate(data):
            problem = _character_problem(value, f"{path}.{index}" if path else str(index))
            if problem is not None:
                return problem
    return None


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


def allowed_origins(settings: ServiceSettings, site_settings: SiteSettings) -> frozenset[str]:
    """Origins whose pages may post: the site, the service's own public address and the
    ``WIJKNET_ALLOWED_ORIGINS``."""
    allowed = {origin_of(site_settings.site_url), origin_of(submissions_url(site_settings)), *settings.allowed_origins}
    allowed.discard("")
    return frozenset(allowed)


def city_today(fixed: dt.date | None, timezone: str) -> dt.date:
    """The fixed test date of the settings, else today in the city."""
    return fixed or today_in(timezone)


def find_theme(repo: Path) -> Path:
    """The repository's own theme, else the one beside this package."""
    candidates = (repo / "theme", PACKAGE_ROOT / "theme")
    return next((path for path in candidates if (path / "templates").is_dir()), repo / "theme")


@dataclass
class SubmissionService:
    """What every request of one app shares; the handlers find it on ``request.app.state``."""

    settings: ServiceSettings
    site_settings: SiteSettings
    source: SiteSource
    spool: Spool
    publisher: Publisher
    limiter: RateLimiter
    page_limiter: RateLimiter  # GETs have their own budget
    branch_entries: BranchEntries
    theme: Path
    allowed: frozenset[str]
    tokens: FormTokens
    start_publisher: bool = True

    @classmethod
    def create(cls, settings: ServiceSettings, *, start_publisher: bool = True, theme_dir: Path | None = None) -> "SubmissionService":
        """Open the spool and read ``site.yaml`` of ``settings.repo``; nothing runs yet."""
        project = Project.at(settings.repo)
        site_settings = project.load_settings()
        base_branch = settings.base_branch or site_settings.branch
        spool = Spool(settings.spool)
        forge = make_forge(settings, site_settings.content_dir, base_branch)
        try:
            secret = load_secret(settings.form_secret, settings.state_dir)
            tokens = FormTokens(secret, settings.min_fill_seconds, settings.form_token_max_seconds, settings.clock)
        except SecretError as error:
            spool.close()
            raise ServiceConfigError(str(error)) from None
        return cls(
            settings=settings,
            site_settings=site_settings,
            source=SiteSource(project, functools.partial(city_today, settings.today, site_settings.timezone)),
            spool=spool,
            publisher=Publisher(spool, forge, settings),
            limiter=RateLimiter(*settings.rate_limit),
            page_limiter=RateLimiter(*settings.page_rate_limit),
            branch_entries=BranchEntries(settings.repo, site_settings.content_dir, base_branch),
            theme=theme_dir or find_theme(settings.repo),
            allowed=allowed_origins(settings, site_settings),
            tokens=tokens,
            start_publisher=start_publisher,
        )

    def today(self) -> dt.date:
        return self.source.today_fn()

    def now(self) -> float:
        """Seconds since the epoch, from the settings' clock."""
        return self.settings.clock()

    def environment(self, loaded: _Loaded):
        theme = self.theme
        return loaded.build.once(render.theme_environment, theme)

    def html_page(
        self, loaded: _Loaded, template: str, context: dict[str, Any], path: str, status: int, page_url: str | None = None
    ) -> HTMLResponse:
        text = render.render(self.environment(loaded), loaded.build, path, template, context, page_url=page_url)
        return HTMLResponse(text, status_code=status)

    def correction_entry(self, loaded: _Loaded, slug: str) -> Entry | None:
        """The entry as on the base branch; the working tree's only without git or branch."""
        if not is_valid_slug(slug):
            return None
        if self.branch_entries.commit() is None:
            return loaded.build.catalog.by_slug.get(slug)
        context = ValidationContext(taxonomy=loaded.state.taxonomy, settings=loaded.state.settings, today=self.today())
        return self.branch_entries.get(slug, context)


# --- checks before validation ----------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def _wants_html(request: Request, content_type: str) -> bool:
    accept = request.headers.get("accept", "")
    return content_type == "application/x-www-form-urlencoded" and "application/json" not in accept and "text/html" in accept


def check_origin(request: Request, allowed: frozenset[str]) -> None:
    """A browser's post must come from a page of an allowed origin: the configured public
    addresses (:func:`allowed_origins`), never whatever ``Host`` the request names, which
    the client chooses."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a browser form or fetch (curl, a script): nothing cross-site to stop
    if origin.strip().lower() not in allowed:
        raise _rejected(403, "bad_origin")


async def read_body(request: Request, max_bytes: int) -> bytes:
    length = request.headers.get("content-length")
    too_large = _rejected(413, "too_large", max=max_bytes // 1024)
    if length and length.isdigit() and int(length) > max_bytes:
        raise too_large
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
    except ClientDisconnect:  # the client hung up mid-body: nothing to answer, nothing to log
        raise Rejected(400, "bad_request", [FieldError(None, HTTP_MESSAGES["bad_request"][1])]) from None
    return b"".join(chunks)


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """JSON or a form post, as the nested data the content models take."""
    if content_type == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            raise _unreadable_body() from None
        if not isinstance(data, dict):
            raise _unreadable_body()
    else:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=500)
        except (UnicodeDecodeError, ValueError):
            raise _unreadable_body() from None
        data, unknown = form.nested_from_flat(pairs)
        for name in unknown:
            data[name] = "?"  # reported by the allowlist check in validation
    # JSON's \ud800 escapes decode to lone surrogates, which no UTF-8 file, commit or database
    # can hold: refuse them here, by field, before anything tries to encode them
    problem = _character_problem(data)
    if problem is not None:
        raise Rejected(422, "invalid", [problem])
    return data


def check_honeypot(data: dict[str, Any]) -> None:
    if str(data.get(form.HONEYPOT) or "").strip():
        raise _rejected(403, "honeypot")


def token_rejection(problem: TokenProblem) -> Rejected:
    """A refused form token, in the one error shape; a token that is too young says when it
    can be used (``Retry-After``)."""
    headers = {"Retry-After": str(problem.retry_after)} if problem.retry_after else {}
    return Rejected(403, problem.code, [FieldError(form.TOKEN, problem.message)], headers)


# --- pages -------------------------------------------------------------------------------


def correction_page(
    service: SubmissionService,
    loaded: _Loaded,
    entry: Entry,
    values: dict[str, Any],
    errors: list[FieldError],
    status: int,
    token: str,
    notice: str = "",
) -> HTMLResponse:
    context = render.form_context(
        loaded.build, values=values, errors=errors, entry=entry, token=token, notice=notice, endpoint=API_PATH
    )
    path = render.correction_path(entry.slug)
    response = service.html_page(loaded, "wijzigen.html", context, path.lstrip("/") + "index.html", status, page_url=path)
    response.headers["Cache-Control"] = "no-store"  # it carries a form token
    return response


def notice_page(
    service: SubmissionService, loaded: _Loaded, status: int, heading: str, text: str, headers: dict[str, str] | None = None
) -> HTMLResponse:
    context = {"heading": heading, "text": text, "status": status}
    response = service.html_page(loaded, "inzending_melding.html", context, "inzendingen/index.html", status, page_url="/inzendingen/")
    response.headers.update(headers or {})
    return response


def form_page(
    service: SubmissionService,
    loaded: _Loaded,
    data: dict[str, Any],
    errors: list[FieldError],
    values: dict[str, Any],
    status: int = 422,
    notice: str = "",
) -> HTMLResponse:
    """The form again, input kept and errors beside the fields (posts without JavaScript),
    with the posted token while it lasts, else a new one."""
    posted = data.get(form.TOKEN)
    token = posted.strip() if isinstance(posted, str) and service.tokens.usable(posted) else service.tokens.issue()
    target = str(data.get(form.CORRECTS) or "")
    entry = (service.correction_entry(loaded, target) or loaded.build.catalog.by_slug.get(target)) if target else None
    if entry is not None:
        return correction_page(service, loaded, entry, values, errors, status, token, notice)
    urls = loaded.build.urls
    context = render.form_context(loaded.build, values=values, errors=errors, token=token, notice=notice, endpoint=API_PATH)
    response = service.html_page(loaded, "aanmelden.html", context, urls.output_path(urls.page("aanmelden")), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def rejected_response(
    service: SubmissionService, request: Request, error: Rejected, html: bool, loaded: _Loaded | None
) -> Response:
    if html and loaded is not None:
        urls = loaded.build.urls
        back = same_origin_path(request.headers.get("referer"), service.allowed) or urls.page("aanmelden")
        context = {"problems": [e.as_dict() for e in error.errors], "back_url": back}
        response: Response = service.html_page(loaded, "inzending_fout.html", context, urls.output_path(urls.page("inzending")), error.status)
    else:
        response = JSONResponse(error_body(error.code, error.errors), status_code=error.status)
    response.headers.update(error.headers)
    return response


def same_origin_path(referer: str | None, allowed: frozenset[str]) -> str | None:
    """The path (and query) of ``referer`` when it is a page of an allowed origin, else None:
    the "back to the form" link never points elsewhere, and never at ``javascript:``."""
    if not referer:
        return None
    parts = urlsplit(referer.strip())
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}".lower() not in allowed:
        return None
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return path + (f"?{parts.query}" if parts.query else "")


# --- handlers ----------------------------------------------------------------------------


def _service(request: Request) -> SubmissionService:
    return request.app.state.service


async def show_correction(request: Request) -> Response:
    """``GET /inzendingen/wijzigen/<slug>/``: the correction form, prefilled; it only renders."""
    service = _service(request)
    loaded: _Loaded = await run_in_threadpool(service.source.get)
    wait = service.page_limiter.take(_client(request), service.now())
    if wait is not None:
        retry = {"Retry-After": str(int(wait) + 1)}
        return notice_page(service, loaded, 429, "Even geduld", service_message("pages_rate_limited"), retry)
    slug = request.path_params["slug"]
    entry = await run_in_threadpool(service.correction_entry, loaded, slug)
    if entry is None:
        text = service_message("unknown_page", value=slug[:80])
        return notice_page(service, loaded, 404, "Dit initiatief bestaat niet (meer)", text)
    return await run_in_threadpool(correction_page, service, loaded, entry, form.form_values(entry), [], 200, service.tokens.issue())


async def form_token(request: Request) -> Response:
    """``GET /api/inzendingen/token``: a new form token, and from when until when it can be used."""
    tokens = _service(request).tokens
    body = {"token": tokens.issue(), "wait_seconds": tokens.min_seconds, "valid_seconds": tokens.max_seconds}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def submit(request: Request) -> Response:
    """``POST /api/inzendingen``: abuse control, validation, then the spool; 202 after the commit."""
    service = _service(request)
    settings = service.settings
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    html = _wants_html(request, content_type)
    loaded: _Loaded | None = await run_in_threadpool(service.source.get) if html else None
    client = _client(request)
    counted = False
    try:
        check_origin(request, service.allowed)
        wait = service.limiter.take(client, service.now())
        if wait is not None:
            raise _rejected(429, "rate_limited", {"Retry-After": str(int(wait) + 1)})
        counted = True
        body = await read_body(request, settings.max_body_bytes)
        if content_type not in ("application/json", "application/x-www-form-urlencoded"):
            raise _rejected(415, "unsupported_media_type")
        data = parse_body(body, content_type)
        check_honeypot(data)
        token_problem = service.tokens.check(data.get(form.TOKEN))
        if token_problem is not None and token_problem.code == "token_missing" and not settings.require_form_token:
            token_problem = None  # the contract takes posts without one; a token sent is checked
        if token_problem is not None and not html:
            raise token_rejection(token_problem)
        if loaded is None:
            loaded = await run_in_threadpool(service.source.get)
        client_key = request.headers.get("idempotency-key") or str(data.get(form.CLIENT_KEY) or "")
        result = await run_in_threadpool(validate_submission, data, loaded.state, service.today(), client_key[:200])
        if token_problem is not None:
            # Without JavaScript: the form again, input kept, with a token that can be sent.
            # The static form page has none, so its first post ends here: not counted.
            if token_problem.code == "token_missing":
                service.limiter.give_back(client)
                counted = False
            notice = TOKEN_MESSAGES["send_again" if token_problem.code == "token_missing" else token_problem.code]
            return await run_in_threadpool(form_page, service, loaded, data, result.errors, result.values, 403, notice)
        if result.candidate is None:
            service.limiter.give_back(client)
            counted = False
            if html:
                return await run_in_threadpool(form_page, service, loaded, data, result.errors, result.values)
            raise Rejected(422, "invalid", result.errors)
        stored, created = await run_in_threadpool(service.spool.add, result.candidate, loaded.state.slugs)
    except Rejected as error:
        if error.code == "invalid" and counted:
            service.limiter.give_back(client)
        return rejected_response(service, request, error, html, loaded)
    if created:
        service.publisher.wake()
    if html:
        urls = loaded.build.urls
        return service.html_page(loaded, "inzending_bedankt.html", {"submission": stored}, urls.output_path(urls.page("inzending")), 202)
    return JSONResponse(stored.public(), status_code=202, headers={"Location": f"{API_PATH}/{stored.id}"})


async def submission_status(request: Request) -> Response:
    """``GET /api/inzendingen/<id>``: the public state of one submission."""
    stored: Stored | None = await run_in_threadpool(_service(request).spool.get, request.path_params["submission_id"])
    if stored is None:
        error = _rejected(404, "not_found")
        return JSONResponse(error_body(error.code, error.errors), status_code=error.status)
    return JSONResponse(stored.public())


@asynccontextmanager
async def lifespan(app: Starlette):
    """Load the content once before the first request; run the publisher while the app runs."""
    service: SubmissionService = app.state.service
    await run_in_threadpool(service.source.get)
    if service.start_publisher:
        service.publisher.start()
    try:
        yield
    finally:
        service.publisher.stop()
        service.spool.close()


ROUTES = [
    Route(API_PATH, submit, methods=["POST"]),
    Route(TOKEN_PATH, form_token, methods=["GET"]),
    Route(API_PATH + "/{submission_id:str}", submission_status, methods=["GET"]),
    Route(CORRECTION_ROUTE, show_correction, methods=["GET"]),
]


class JsonCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with a refused preflight answered in the service's error
    shape instead of plain text."""

    def preflight_response(self, request_headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        detail = response.body.decode("utf-8", "replace").removeprefix("Disallowed CORS ").strip() or "CORS"
        return http_error("bad_cors", detail=detail)


async def http_exception(request: Request, error: HTTPException) -> Response:
    """Unknown routes (404) and wrong methods (405) answer in the one error shape."""
    if error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "GET, POST")
        return http_error("method_not_allowed", headers={"Allow": allowed}, method=request.method[:20], allowed=allowed)
    if error.status_code == 404:
        return http_error("not_found")
    return http_error("bad_request", status=error.status_code if 400 <= error.status_code < 500 else 400)


async def unexpected_error(request: Request, error: Exception) -> Response:
    """A bug: logged once, answered in the error shape (never a traceback to the client)."""
    log.error("onverwachte fout bij %s %s: %r", request.method, request.url.path, error, exc_info=error)
    return http_error("server_error")


def create_app(settings: ServiceSettings, *, start_publisher: bool = True, theme_dir: Path | None = None) -> Starlette:
    """The ASGI app for ``settings``. The publisher runs while the app's lifespan runs."""
    service = SubmissionService.create(settings, start_publisher=start_publisher, theme_dir=theme_dir)
    routes: list[Any] = list(ROUTES)
    if (service.theme / "static").is_dir():
        static_url = Urls(service.site_settings.site_url).static("").rstrip("/")
        routes.append(Mount(static_url, app=StaticFiles(directory=str(service.theme / "static"))))
    cors = Middleware(
        JsonCORSMiddleware,
        allow_origins=sorted(service.allowed),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept", "Idempotency-Key"],
        expose_headers=["Retry-After"],  # form.js waits that long when a token is too young
        max_age=3600,
    )
    handlers = {HTTPException: http_exception, Exception: unexpected_error}
    headers = Middleware(SecurityHeaders, headers=security_headers(service.site_settings))
    app = Starlette(routes=routes, middleware=[headers, cors], lifespan=lifespan, exception_handlers=handlers)
    app.state.service = service
    return app


def app_from_env() -> Starlette:
    """Entry point for ASGI servers: ``uvicorn --factory wijknet.submissions.app:app_from_env``."""
    return create_app(ServiceSettings.from_env())
