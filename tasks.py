"""Invoke tasks, Pelican style: ``invoke build``, ``invoke serve``, ``invoke livereload``,
``invoke clean``. They use the same build as ``wijknet build``: validate, then update output/
in place, rendering and writing only what changed (see ``wijknet/build.py``), so
``invoke livereload`` shows an edit within seconds."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
WATCHED = ("content", "taxonomy", "theme", "site.yaml", "plugins", "wijknet", "pelicanconf.py")


def _build(date: str | None) -> bool:
    """Build once; print problems instead of raising so a watcher keeps running."""
    from wijknet.build import BuildError, build_site
    from wijknet.content.catalog import ContentError
    from wijknet.project import Project, today_in

    project = Project.at(ROOT)
    today = dt.date.fromisoformat(date) if date else today_in(project.load_settings().timezone)
    try:
        report = build_site(project, OUTPUT, today)
    except ContentError as error:
        for p in error.problems:
            print(f"{p.file}:{p.line}: {p.key or '-'}: {p.message('nl')}")
        print("Niet gebouwd: los eerst deze problemen op.")
        return False
    except BuildError as error:
        print(f"Bouwen mislukt:\n{error}")
        return False
    print(
        f"Gebouwd: {report.files} bestanden ({report.rendered} pagina's opnieuw gemaakt, {report.written} geschreven, "
        f"{report.removed} verwijderd) in {report.seconds:.1f} s → {report.output}"
    )
    return True


def _server(host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(OUTPUT))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"De site draait op http://{host}:{port}/ (Ctrl-C stopt)")
    return server


def _stamp() -> tuple:
    """Modification times of everything a build reads."""
    stamps = []
    for name in WATCHED:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []
        stamps.extend((str(p), p.stat().st_mtime_ns) for p in files if "__pycache__" not in p.parts)
    return tuple(stamps)


@task(help={"date": "de datum van 'vandaag' (JJJJ-MM-DD)"})
def build(c, date=None):
    """Validate the content and build the site into output/."""
    if not _build(date):
        raise SystemExit(1)


@task
def clean(c):
    """Remove output/."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task(help={"port": "poort (standaard 8000)", "host": "adres (standaard 127.0.0.1)"})
def serve(c, port=8000, host="127.0.0.1"):
    """Serve output/ as it is."""
    server = _server(host, int(port))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


@task(help={"port": "poort (standaard 8000)", "host": "adres", "date": "de datum van 'vandaag'"})
def livereload(c, port=8000, host="127.0.0.1", date=None):
    """Build, serve, and build again whenever content, taxonomy, theme or code change."""
    _build(date)
    server = _server(host, int(port))
    seen = _stamp()
    try:
        while True:
            time.sleep(1)
            now = _stamp()
            if now != seen:
                seen = now
                print("Wijziging gezien, opnieuw bouwen...")
                _build(date)
    except KeyboardInterrupt:
        server.shutdown()
