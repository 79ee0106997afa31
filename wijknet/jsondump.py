"""The one way JSON files of the site are written: compact, sorted keys, UTF-8."""

from __future__ import annotations

import json
from typing import Any


def dump_json(data: Any) -> bytes:
    """Compact, deterministic JSON bytes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
