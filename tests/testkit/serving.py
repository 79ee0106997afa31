"""Browser-test support: a local HTTP server and the axe-core check."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import socket
import threading
from pathlib import Path

from testkit.paths import REPO
from wijknet.http_headers import cache_control

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass


def free_port() -> int:
    """A loopback port nobody listens on right now, for a server a test starts in another process."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(handler):
    """Serve ``handler`` (a request handler class) on a free loopback port; returns (url, stop)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


class _GzipHandler(_QuietHandler):
    """Text files gzip-compressed when the client accepts it, as a production web server
    sends them (compressed once per file and kept), with the ``Cache-Control`` of
    ``wijknet serve`` and ``docs/deploy.md``: a year for content-hashed names, revalidate
    for the rest."""

    TEXT = (".html", ".js", ".json", ".css", ".svg", ".txt", ".xml")
    compressed: dict[str, tuple[float, bytes]] = {}
    status = 200  # of the answer being sent

    def send_response(self, code, message=None):
        self.status = code
        super().send_response(code, message)

    def end_headers(self):
        self.send_header("Cache-Control", cache_control(self.path.split("?", 1)[0], self.status))
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.endswith(self.TEXT) or not os.path.isfile(path):
            return super().send_head()
        mtime = os.path.getmtime(path)
        known = self.compressed.get(path)
        if known is None or known[0] != mtime:
            with open(path, "rb") as handle:
                known = self.compressed[path] = (mtime, gzip.compress(handle.read(), 6, mtime=0))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(known[1])))
        self.end_headers()
        return io.BytesIO(known[1])


def serve_directory(directory: Path, compress: bool = False):
    """Start a static server for ``directory`` on a free loopback port; returns (url, stop).
    With ``compress``, text files are sent gzipped (see :class:`_GzipHandler`)."""
    handler = _GzipHandler if compress else _QuietHandler
    return start_server(functools.partial(handler, directory=str(directory)))


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` statically while the block runs; yields the base URL."""
    url, stop = serve_directory(folder)
    try:
        yield url
    finally:
        stop()


def axe_violations(page, tags: list[str] | None = None) -> list:
    """axe-core's violations on ``page`` (every rule, or only those with one of ``tags``).

    axe is run through ``evaluate``, which the page's Content-Security-Policy does not block.
    """
    page.evaluate(AXE.read_text() + "\n;0")
    options = {"runOnly": tags} if tags else {}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]


@contextlib.contextmanager
def serve_app(app):
    """Serve an ASGI app with uvicorn on a free loopback port while the block runs, as
    ``wijknet serve`` does (for ``wijknet.commands.serve.make_app``); yields the base URL."""
    import socket
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
