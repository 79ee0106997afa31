"""The sharded search files the browser loads instead of the complete index.

The complete lunr index is cut by sorted term into shards that hold, per term, its global
``_index``, its postings and their field-vector weights; a query assembles a partial index
of exactly the terms its clauses can expand to and scores exactly like the complete index.
The design, the formulas and the file formats are in ``docs/search.md``.

:func:`shard_files` (or :func:`term_files`, :func:`fragment_files` and :func:`manifest`)
writes ``search/manifest.json``, the term shards, the document fragments and the term
dictionary from a serialized index and the result cards. :mod:`wijknet.search.shard_reader`
reads them as the browser does.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from dataclasses import dataclass
from typing import Any, Iterable

from wijknet.jsondump import dump_json

FORMAT = 1
MANIFEST_PATH = "search/manifest.json"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
HASH_DIGITS = 10


@dataclass(frozen=True)
class ShardConfig:
    """How the files are cut: the estimated compressed size of a term shard (and of each part
    of a split common term), the entries per document fragment, and the fragments per block
    (the fragments of a block share a content hash in their folder name)."""

    shard_bytes: int = 8 * 1024
    fragment_size: int = 10
    fragment_block: int = 64


TermPostings = tuple[str, int, list[tuple[list[int], list[int]]]]
"""A term, its ``_index`` and per field (positions ascending, weights times scale)."""


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def term_postings(serialized: dict[str, Any], scale: int, postings: dict[int, list] | None = None) -> list[TermPostings]:
    """Every term of a serialized lunr index, sorted, with per field its postings' positions
    (ascending) and weights (``round(weight * scale)``). ``postings`` is what
    :func:`~wijknet.search.index.serialize_index` collected while it built the index; without
    it they are read back from the field vectors."""
    fields = list(serialized["fields"])
    if postings is None:
        postings = {}
        slot_of = {name: slot for slot, name in enumerate(fields)}
        for key, elements in serialized["fieldVectors"]:
            name, ref = key.split("/", 1)
            slot, position = slot_of[name], int(ref, 36)
            for i in range(0, len(elements), 2):
                per_field = postings.get(elements[i])
                if per_field is None:
                    per_field = postings[elements[i]] = [([], []) for _ in fields]
                per_field[slot][0].append(position)
                per_field[slot][1].append(round(elements[i + 1] * scale))
    result: list[TermPostings] = []
    for term, posting in serialized["invertedIndex"]:
        index = posting["_index"]
        ordered = []
        for positions, weights in postings.get(index) or [([], []) for _ in fields]:
            if any(positions[i] >= positions[i + 1] for i in range(len(positions) - 1)):
                pairs = sorted(zip(positions, weights))
                positions, weights = [p for p, _ in pairs], [w for _, w in pairs]
            ordered.append((positions, weights))
        result.append((term, index, ordered))
    return result


def _gaps(positions: list[int]) -> list[int]:
    previous = -1
    gaps = []
    for position in positions:
        gaps.append(position - previous - 1)
        previous = position
    return gaps


def _encode(term: str, index: int, per_field: list[tuple[list[int], list[int]]]) -> list:
    return [term, index, [[_gaps(positions), weights] for positions, weights in per_field]]


def _estimate(item: list) -> int:
    return len(zlib.compress(_compact(item), 9))


def _split(term: str, index: int, per_field: list[tuple[list[int], list[int]]], parts: int) -> list[list]:
    """A common term's postings in ``parts`` items, each a range of document positions."""
    positions = sorted({p for field_positions, _ in per_field for p in field_positions})
    bounds = [positions[(len(positions) * k) // parts] for k in range(1, parts)] + [math.inf]
    items = []
    low = -1
    for high in bounds:
        part = []
        for field_positions, weights in per_field:
            chosen = [(p, w) for p, w in zip(field_positions, weights) if low <= p < high]
            part.append(([p for p, _ in chosen], [w for _, w in chosen]))
        items.append(_encode(term, index, part))
        low = high
    return items


def cut_shards(terms: list[TermPostings], shard_bytes: int) -> list[tuple[str, list[list[list]]]]:
    """``[(first term, [file items, ...]), ...]``: consecutive terms while the summed estimate
    stays under ``shard_bytes``; a term above it alone, split into parts of at most that.
    The first shard starts at the empty string, so every term has a shard."""
    shards: list[tuple[str, list[list[list]]]] = []
    current: list[list] = []
    current_start = ""
    size = 0
    for term, index, per_field in terms:
        item = _encode(term, index, per_field)
        estimate = _estimate(item)
        if estimate > shard_bytes:
            if current:
                shards.append((current_start, [current]))
                current, size = [], 0
            parts = math.ceil(estimate / shard_bytes)
            while True:
                items = _split(term, index, per_field, parts)
                if all(_estimate(part) <= shard_bytes for part in items) or parts > 4 * estimate // shard_bytes + 4:
                    break
                parts += 1
            shards.append((term if shards else "", [[part] for part in items]))
            continue
        if current and size + estimate > shard_bytes:
            shards.append((current_start, [current]))
            current, size = [], 0
        if not current:
            current_start = term if shards else ""
        current.append(item)
        size += estimate
    if current or not shards:
        shards.append((current_start, [current]))
    return shards


def front_coded(terms: Iterable[str]) -> str:
    """Sorted terms as one text: per term a character saying how many leading characters it
    shares with the one before (base 36, at most 35), the rest, and a newline."""
    lines = []
    previous = ""
    for term in terms:
        shared = 0
        limit = min(len(term), len(previous), 35)
        while shared < limit and term[shared] == previous[shared]:
            shared += 1
        lines.append(_DIGITS[shared] + term[shared:] + "\n")
        previous = term
    return "".join(lines)


def read_front_coded(text: str) -> list[str]:
    terms = []
    previous = ""
    for line in text.split("\n")[:-1]:
        term = previous[: _DIGITS.index(line[0])] + line[1:]
        terms.append(term)
        previous = term
    return terms


def term_files(
    serialized: dict[str, Any], precision: int, config: ShardConfig | None = None, postings: dict[int, list] | None = None
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The term shards and the dictionary of a serialized index (by output path), and what
    the manifest says of them. ``postings``: see :func:`term_postings`."""
    config = config or ShardConfig()
    scale = 10**precision
    terms = term_postings(serialized, scale, postings)
    files: dict[str, bytes] = {}
    shards = []
    number = 0
    for start, file_items in cut_shards(terms, config.shard_bytes):
        hashes = []
        for items in file_items:
            data = dump_json({"terms": items})
            digest = content_hash(data)
            files[f"search/{shard_name(number, digest)}"] = data
            hashes.append(digest)
            number += 1
        shards.append([start, *hashes])
    dictionary = dump_json({"terms": front_coded(term for term, _, _ in terms)})
    dictionary_name = f"terms.{content_hash(dictionary)}.json"
    files[f"search/{dictionary_name}"] = dictionary
    about = {
        "version": serialized["version"],
        "fields": serialized["fields"],
        "pipeline": serialized["pipeline"],
        "scale": scale,
        "shards": shards,
        "dictionary": dictionary_name,
    }
    return files, about


def shard_name(number: int, digest: str) -> str:
    """The file of the ``number``-th shard file (counted over all shards' files in order)."""
    return f"t/{number}.{digest}.json"


def fragment_name(number: int, block_digest: str) -> str:
    return f"d/{block_digest}/{number}.json"


def fragment_files(cards: list[dict[str, Any]], config: ShardConfig | None = None) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The document fragments (by output path) and what the manifest says of them."""
    config = config or ShardConfig()
    size, block = config.fragment_size, config.fragment_block
    fragments = [
        dump_json({"first": first, "documents": cards[first : first + size]}) for first in range(0, len(cards), size)
    ]
    files: dict[str, bytes] = {}
    blocks = []
    for first in range(0, len(fragments), block):
        digest = content_hash(b"\n".join(fragments[first : first + block]))
        blocks.append(digest)
        for number in range(first, min(first + block, len(fragments))):
            files[f"search/{fragment_name(number, digest)}"] = fragments[number]
    return files, {"documents": len(cards), "fragments": {"size": size, "block": block, "count": len(fragments), "blocks": blocks}}


def manifest(terms_about: dict[str, Any], fragments_about: dict[str, Any], taxonomy_name: str = "taxonomy.json") -> bytes:
    """``search/manifest.json``: what is where (format in ``docs/search.md``)."""
    return dump_json({"format": FORMAT, **terms_about, **fragments_about, "taxonomy": taxonomy_name})


def shard_files(
    serialized: dict[str, Any], cards: list[dict[str, Any]], precision: int, config: ShardConfig | None = None
) -> dict[str, bytes]:
    """Every sharded file, by output path: manifest, term shards, fragments, dictionary.

    ``serialized`` is the complete index (:func:`wijknet.search.index.serialize_index`),
    ``cards`` the result cards of the listed entries in ref order
    (:func:`wijknet.search.index.build_cards`), ``precision`` the index's weight precision.
    """
    terms, terms_about = term_files(serialized, precision, config)
    fragments, fragments_about = fragment_files(cards, config)
    return {**terms, **fragments, MANIFEST_PATH: manifest(terms_about, fragments_about)}
