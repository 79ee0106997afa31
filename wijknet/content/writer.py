"""Write an entry back to its file form: front matter in the contract's key order, then
the Markdown description. Used by the importer, ``wijknet new`` and the submission service,
so every generated file looks the same and round-trips through the loader unchanged."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from wijknet.content.models import Entry

_PLAIN = re.compile(r"^[A-Za-z0-9À-ÿ][\w À-ÿ.,'()/+@-]*$")
_LOOKS_TYPED = re.compile(r"^(~|null|Null|NULL|true|false|yes|no|on|off|[-+]?[0-9][0-9_.:e+-]*)$", re.IGNORECASE)


def _scalar(value: Any) -> str:
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
    if _PLAIN.match(text) and not _LOOKS_TYPED.match(text) and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _flow_list(values: list[Any]) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


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
