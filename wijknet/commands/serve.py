"""``wijknet serve``: the development server behind ``make serve``.

Builds the site, serves the output folder and the submission service from one origin
(http://127.0.0.1:8000/, /api/inzendingen and the correction forms under /inzendingen/,
local forge on this repository), and rebuilds
when content, taxonomy, theme or settings change. With ``--admin`` (``make admin``) it also
starts the moderators' desk's local back end, decap-server on 127.0.0.1 (see
:mod:`wijknet.admin.local_backend`): the desk at /admin/ then edits this repository's files.
Ctrl-C stops everything.

It answers as the production server in ``docs/deploy.md`` does: the security headers, text
gzip-compressed, files with a content hash in their name kept a year and everything else
revalidated (:mod:`wijknet.http_headers`), so what Lighthouse measures here holds there.
"""

from __future__ import annotations

import argparse
import functools
import mimetypes
import os
import signal
import sys
import threading
import time
from pathlib import Path

from wijknet.commands.common import date_arg, print_problems, setup_problems

WATCHED = ("content", "taxonomy", "theme", "site.yaml", "pelicanconf.py")


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="bouw de site en start een lokale server met het aanmeldformulier")
    parser.add_argument("--host", default="127.0.0.1", help="adres (standaard: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="poort (standaard: 8000)")
    parser.add_argument("--output", default="output", metavar="DIR", help="uitvoermap (standaard: output)")
    parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="de datum van 'vandaag'")
    parser.add_argument("--root", default=".", metavar="DIR", help="de map van de site (standaard: .)")
    parser.add_argument("--no-watch", action="store_true", help="niet opnieuw bouwen bij wijzigingen")
    parser.add_argument("--admin", action="store_true", help="start ook de moderatie (/admin/) met decap-server op 127.0.0.1")
    parser.add_argument("--admin-port", type=int, default=8081, help="poort van decap-server (standaard: 8081)")
    parser.set_defaults(handler=run)


def snapshot(root: Path, watched: tuple[str, ...] = WATCHED) -> dict[str, tuple[int, int]]:
    """mtime and size of every watched file: a change in any of them means rebuild.

    Files that vanish while they are looked at are left out; ``__pycache__`` is left out
    (a build that imports code writes there, which is no change).
    """
    state: dict[str, tuple[int, int]] = {}
    for name in watched:
        path = root / name
        candidates = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for candidate in candidates:
            if "__pycache__" in candidate.parts:
                continue
            try:
                stat = candidate.stat()
            except OSError:
                continue
            state[str(candidate)] = (stat.st_mtime_ns, stat.st_size)
    return state


def build_once(root: Path, output: Path, date) -> bool:
    """Build the site; print what went wrong instead of stopping the server."""
    from wijknet.commands.build import host_build
    from wijknet.content.catalog import ContentError
    from wijknet.project import Project, today_in
    from wijknet.settings import SettingsError
    from wijknet.taxonomy import TaxonomyError

    project = Project.at(root)
    try:
        today = date or today_in(project.load_settings().timezone)
        report = host_build()(project, output, today)
    except (ContentError, SettingsError, TaxonomyError) as error:
        print("De site is niet opnieuw gebouwd; los eerst dit op:", file=sys.stderr)
        problems = error.problems if isinstance(error, ContentError) else setup_problems(error)
        print_problems(problems, "text", "nl", out=sys.stderr)
        return False
    except Exception as error:  # a dev server keeps running; the message says what broke
        print(f"De site is niet gebouwd: {error}", file=sys.stderr)
        return False
    print(f"Site gebouwd: {report.entries} berichten, {report.files} bestanden in {report.seconds:.1f} s", file=sys.stderr)
    return True


def watch(root: Path, output: Path, date, stop: threading.Event, interval: float = 1.0) -> None:
    """Poll the watched files and rebuild after a change (a short pause lets editors finish)."""
    last = snapshot(root)
    while not stop.wait(interval):
        current = snapshot(root)
        if current != last:
            time.sleep(0.3)
            last = snapshot(root)
            print("Wijziging gezien; de site wordt opnieuw gebouwd ...", file=sys.stderr)
            build_once(root, output, date)


SERVICE_PREFIXES = ("/api/", "/inzendingen/")
"""Paths the submission service answers: its API and the correction forms it renders."""


class DevServer:
    """One ASGI app: the service's paths and the lifespan go to the service, the rest to the site."""

    def __init__(self, api, static):
        self.api, self.static = api, static

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan" or scope.get("path", "").startswith(SERVICE_PREFIXES):
            await self.api(scope, receive, send)
        else:
            await self.static(scope, receive, send)


def make_app(settings, output: Path):
    """The site in ``output`` and the service, as one ASGI app with the security headers,
    the caching of :func:`wijknet.http_headers.cache_control` (a year for files with a
    content hash in their name, ``no-cache`` with ETag and Last-Modified for the rest) and
    gzip for text (:class:`wijknet.http_headers.ServingHeaders`)."""
    from starlette.exceptions import HTTPException
    from starlette.middleware.exceptions import ExceptionMiddleware
    from starlette.staticfiles import StaticFiles

    from wijknet.http_headers import ADMIN_PREFIX, SecurityHeaders, ServingHeaders, admin_security_headers, security_headers
    from wijknet.project import Project
    from wijknet.submissions.app import create_app

    output.mkdir(parents=True, exist_ok=True)
    mimetypes.add_type("application/yaml", ".yml")  # the desk's admin/config.yml
    api = create_app(settings)
    files = ExceptionMiddleware(
        StaticFiles(directory=str(output), html=True, check_dir=False),
        handlers={HTTPException: functools.partial(not_found_page, output)},
    )
    site = DevServer(api, files)
    site_settings = Project.at(settings.repo).load_settings()
    return SecurityHeaders(
        ServingHeaders(site), security_headers(site_settings), by_prefix={ADMIN_PREFIX: admin_security_headers(site_settings)}
    )


NOT_FOUND_TEXT = (
    '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Pagina niet gevonden</title>'
    '<h1>Pagina niet gevonden</h1><p>Deze pagina bestaat niet. <a href="/">Naar de beginpagina</a>.</p></html>'
)


async def not_found_page(output: Path, request, error):
    """A missing file or folder (also ``..`` or an encoded slash) is a 404 with the site's
    ``404.html`` when the build wrote one, never a 500 with a traceback; a wrong method is a 405."""
    from starlette.responses import HTMLResponse

    if error.status_code == 405:
        return HTMLResponse("Alleen GET en HEAD.", status_code=405, headers={"Allow": "GET, HEAD"})
    page = output / "404.html"
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        text = NOT_FOUND_TEXT
    return HTMLResponse(text, status_code=404 if error.status_code in (404, 400) else error.status_code)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
ALL_ADDRESSES = ("0.0.0.0", "::", "")


def own_origins(host: str, port: int) -> tuple[str, ...]:
    """The origins a browser reaches this server at: the service takes posts from these
    (and from the site's ``url``), never from whatever ``Host`` a request names. Bound to
    every address, only the loopback names are known; others go in
    ``WIJKNET_ALLOWED_ORIGINS``."""
    if host in ALL_ADDRESSES or host.strip("[]") in ("127.0.0.1", "localhost", "::1"):
        names: tuple[str, ...] = LOOPBACK_NAMES
    else:
        names = (f"[{host}]" if ":" in host and not host.startswith("[") else host,)
    return tuple(f"http://{name}:{port}" for name in names)


def serve_settings(root: Path, host: str, port: int, date, environ: dict[str, str]):
    """The service's settings for ``wijknet serve``: the local forge on ``root``, posts
    allowed from this server's own origins."""
    from wijknet.submissions.settings import ServiceSettings

    environ = {**environ, "WIJKNET_REPO": environ.get("WIJKNET_REPO") or str(root)}
    environ.setdefault("WIJKNET_FORGE", "local")
    environ["WIJKNET_ALLOWED_ORIGINS"] = " ".join((environ.get("WIJKNET_ALLOWED_ORIGINS", ""), *own_origins(host, port))).strip()
    if date:
        environ.setdefault("WIJKNET_DATE", date.isoformat())
    return ServiceSettings.from_env(environ)


def run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    output = (root / args.output).resolve() if not Path(args.output).is_absolute() else Path(args.output)
    # The form on the built pages posts to this server itself ("/" = same origin).
    os.environ.setdefault("SUBMISSIONS_URL", "/")
    backend = None
    if args.admin:
        from wijknet.admin.local_backend import LocalBackendError, backend_url, start_local_backend
        from wijknet.settings import LOCAL_BACKEND_VARIABLE

        # the desk's configuration and its CSP name this address: set it before building
        os.environ[LOCAL_BACKEND_VARIABLE] = backend_url(args.admin_port)
        try:
            backend = start_local_backend(root, args.admin_port)
        except LocalBackendError as error:
            print(f"wijknet serve: {error}", file=sys.stderr)
            return 2
        # uvicorn hands a SIGTERM on to the handler it found: end like Ctrl-C, so the
        # finally below stops decap-server too
        signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        return _serve(args, root, output, backend)
    finally:
        if backend is not None:
            backend.stop()


def _stop_on_terminate(signum, frame):
    raise SystemExit(0)


def _serve(args: argparse.Namespace, root: Path, output: Path, backend) -> int:
    import uvicorn

    from wijknet.submissions.settings import ServiceConfigError

    try:
        settings = serve_settings(root, args.host, args.port, args.date, dict(os.environ))
    except ServiceConfigError as error:
        print(f"wijknet serve: {error}", file=sys.stderr)
        return 2
    build_once(root, output, args.date)
    try:
        app = make_app(settings, output)
    except ServiceConfigError as error:
        print(f"wijknet serve: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    if not args.no_watch:
        threading.Thread(target=watch, args=(root, output, args.date, stop), name="wijknet-watch", daemon=True).start()
    print(
        f"Site: http://{args.host}:{args.port}/  ·  aanmelden: http://{args.host}:{args.port}/aanmelden/  ·  "
        f"inzendingen worden branches inzending/* in {settings.repo}. Stoppen: Ctrl-C",
        file=sys.stderr,
    )
    if args.host in ALL_ADDRESSES:
        print(
            "Het formulier werkt vanaf http://127.0.0.1 en http://localhost. Via een ander adres? "
            "Zet dat in WIJKNET_ALLOWED_ORIGINS, bijvoorbeeld WIJKNET_ALLOWED_ORIGINS=http://192.168.1.10:8000",
            file=sys.stderr,
        )
    if backend is not None:
        print(
            f"Moderatie: http://127.0.0.1:{args.port}/admin/ (kies 'Inloggen'); wat je opslaat, komt in de "
            f"bestanden in {root} (decap-server op {backend.url}).",
            file=sys.stderr,
        )
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    finally:
        stop.set()
    return 0
