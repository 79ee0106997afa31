"""Write an entry back to its file form: front matter in the contract's key order, then
the Markdown description. Used by the importer, ``wijknet new`` and the submission service,
so every generated file looks the same and round-trips through the loader unchanged."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from wijknet.content.models import Entry

# Plain scalars: a letter or digit first, no white space at either end, no character with a
# meaning in YAML (':', '#', quotes first, ...); in a flow list no ',' either.
_PLAIN = re.compile(r"[A-Za-z0-9À-ÿ](?:[\w À-ÿ.,'()/+@-]*[\wÀ-ÿ.,'()/+@-])?")
_PLAIN_IN_FLOW = re.compile(r"[A-Za-z0-9À-ÿ](?:[\w À-ÿ.'()/+@-]*[\wÀ-ÿ.'()/+@-])?")
# Other YAML readers (editors, Decap CMS) would read these as booleans, numbers or null.
_LOOKS_TYPED = re.compile(
    r"~|null|true|false|yes|no|on|off|y|n|[-+]?(?:[0-9][0-9_.:e+-]*|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+)", re.IGNORECASE
)

# What a double-quoted scalar holds as it is: YAML's printable characters, except the ones
# YAML reads as line breaks (NEL, U+2028, U+2029), the byte order mark and the quote and
# backslash. Everything else is written as an escape, so it reads back unchanged.
_RAW_IN_QUOTES = re.compile(r"[^\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\U00010000-\U0010FFFF]|[\\\"]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line that reads back exactly as ``text``."""
    return '"' + _RAW_IN_QUOTES.sub(_escape, text) + '"'


def _scalar(value: Any, flow: bool = False) -> str:
    """A YAML scalar that reads back as the same text (the loader keeps scalars as text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?", text):
        return text
    if (_PLAIN_IN_FLOW if flow else _PLAIN).fullmatch(text) and not _LOOKS_TYPED.fullmatch(text):
        return text
    return double_quoted(text)


def _flow_list(values: list[Any]) -> str:
    return "[" + ", ".join(_scalar(v, flow=True) for v in values) + "]"


def _lines(data: dict[str, Any], indent: str = "") -> list[str]:
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(_lines(value, indent + "  "))
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: {_flow_list(value)}")
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")
    return lines


def _moment(value: Any) -> Any:
    if isinstance(value, str) and "T" in value:
        day, _, time = value.partition("T")
        return f"{day} {time[:5]}" if time.endswith(":00") and len(time) == 8 else f"{day} {time}"
    return value


def render_entry(entry: Entry) -> str:
    """The text of the entry's file."""
    data = entry.front_matter()
    when = data.get("wanneer")
    if isinstance(when, dict):
        data["wanneer"] = {key: _moment(value) for key, value in when.items()}
    body = entry.description.strip("\n")
    text = "---\n" + "\n".join(_lines(data)) + "\n---\n"
    if body:
        text += body + "\n"
    return text
