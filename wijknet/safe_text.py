"""Text that is safe to show in a terminal, a log or a commit message.

Submissions are untrusted: a title may carry ESC (terminal escapes), BEL, NUL or other
control characters. Wherever such text leaves the content file (a commit message, the
output of ``wijknet review``, a log line) it is shown with those characters escaped, so what
a moderator sees is what was sent, and nothing is executed by the terminal or refused by git.
"""

from __future__ import annotations

import unicodedata

from wijknet.characters import LINE_BREAKS, is_refused


def is_unsafe_char(char: str) -> bool:
    """What no field may hold (:mod:`wijknet.characters`), tab and line breaks, and the format
    characters that reorder or hide text (bidi controls, zero-width marks)."""
    return is_refused(char) or char == "\t" or char in LINE_BREAKS or unicodedata.category(char) == "Cf"


def escape_controls(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character written as a visible escape (``\\x1b``, ``\\u202e``)."""
    out = []
    for char in text:
        if (keep_newlines and char == "\n") or not is_unsafe_char(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)
