"""A Pelican writer that keeps what Pelican renders in memory.

Pelican's article generator renders the news (pages, pagination, Atom feed) through the
writer it is given. This one hands the results to the wijknet build as files, so they are
written with the rest of the site: only when changed, into a staging folder on a clean
build, and never when the content is invalid.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import weakref

from pelican.writers import Writer

from wijknet.engine.model import File


class _Capture(io.StringIO):
    """A text file that hands its text to ``keep`` when closed."""

    def __init__(self, keep):
        super().__init__()
        self._keep = keep

    def close(self) -> None:
        if not self.closed:
            self._keep(self.getvalue())
        super().close()


class CollectingWriter(Writer):
    """Pelican's writer, with every file kept as a :class:`File` instead of written.

    Pelican creates the folders of what it writes; they go to a scratch folder, so the
    real output folder is not touched before the build has validated everything.
    """

    def __init__(self, output_path, settings=None):
        self._scratch = tempfile.mkdtemp(prefix="wijknet-pelican-")
        weakref.finalize(self, shutil.rmtree, self._scratch, True)
        super().__init__(self._scratch, settings=settings)
        self.files: dict[str, File] = {}

    def _open_w(self, filename, encoding, override=False):
        handle = super()._open_w(filename, encoding, override)
        target = handle.name
        handle.close()
        if target == os.devnull:
            return open(os.devnull, "w", encoding=encoding)
        path = os.path.relpath(target, self._scratch).replace(os.sep, "/")
        os.unlink(target)

        def keep(text: str) -> None:
            self.files[path] = File(path, text.encode(encoding))

        return _Capture(keep)
