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
    """Build once, as ``wijknet serve`` does: problems are printed, never raised, so a watcher keeps running."""
    from wijknet.commands.serve import build_once

    return build_once(ROOT, OUTPUT, dt.date.fromisoformat(date) if date else None)


def _server(host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(OUTPUT))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"De site draait op http://{host}:{port}/ (Ctrl-C stopt)")
    return server


def _stamp() -> dict[str, tuple[int, int]]:
    """Modification times and sizes of everything a build reads (``wijknet serve``'s snapshot)."""
    from wijknet.commands.serve import snapshot

    return snapshot(ROOT, WATCHED)


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
