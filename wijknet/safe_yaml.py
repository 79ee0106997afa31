"""Safe loading of entry files: front matter with a line number for every key.

The loader never trusts the file. It rejects oversized files, bytes that are not UTF-8,
YAML anchors and aliases, explicit tags, duplicate keys, deep nesting and front matter
that is not a mapping, before any validation runs. Every scalar is loaded as text
(only an empty value or ``null`` becomes None); the pydantic models parse dates and
numbers, so YAML 1.1 surprises (``no`` → False, ``0201234567`` → octal) cannot happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from wijknet import characters

try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    CParser = None  # type: ignore[assignment, misc]

MAX_FILE_BYTES = 102_400
MAX_DEPTH = 8
MAX_NODES = 5_000

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadProblem:
    """A problem found while reading a file; ``code`` selects the message text."""

    line: int
    key: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadedFile:
    """The result of reading one entry file."""

    data: dict[str, Any] | None
    body: str = ""
    body_line: int = 0
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)

    def line_for(self, loc: Loc) -> int:
        """The line of the deepest known key on ``loc`` (1 when nothing is known)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


class _YamlRejected(Exception):
    """A file the loader refuses. ``by_parser`` is True when the scanner or parser stopped,
    False when one of our own checks did."""

    def __init__(self, problem: LoadProblem, by_parser: bool = False):
        super().__init__(problem.code)
        self.problem = problem
        self.by_parser = by_parser


class _Resolver(BaseResolver):
    """Resolves only null; everything else stays a string, map or list."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _StrictComposer(Composer):
    """Composes nodes from parser events, refusing anchors, aliases, tags and excess."""

    def _strict_init(self, line_offset: int, max_depth: int, max_nodes: int) -> None:
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)
        self._line_offset = line_offset
        self._depth = 0
        self._nodes = 0
        self._max_depth = max_depth
        self._max_nodes = max_nodes

    def _line(self, mark) -> int:
        return mark.line + 1 + self._line_offset

    def compose_check(self) -> None:
        """The checks on the next node, before it is read (see :meth:`compose_node`);
        every call is paired with :meth:`compose_done`."""
        event = self.peek_event()
        line = self._line(event.start_mark)
        if isinstance(event, AliasEvent):
            raise _YamlRejected(LoadProblem(line, "", "yaml_alias"))
        if getattr(event, "anchor", None) is not None:
            raise _YamlRejected(LoadProblem(line, "", "yaml_anchor"))
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            explicit = True
            if isinstance(event, ScalarEvent):
                explicit = not any(event.implicit)
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                explicit = not event.implicit
            if explicit:
                shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
                raise _YamlRejected(LoadProblem(line, "", "yaml_tag", {"tag": shown}))
        self._nodes += 1
        if self._nodes > self._max_nodes:
            raise _YamlRejected(LoadProblem(line, "", "yaml_too_many"))
        self._depth += 1
        if self._depth > self._max_depth:
            raise _YamlRejected(LoadProblem(line, "", "yaml_too_deep", {"max": self._max_depth}))

    def compose_done(self) -> None:
        self._depth -= 1

    def compose_node(self, parent, index):  # type: ignore[override]
        self.compose_check()
        try:
            return super().compose_node(parent, index)
        finally:
            self.compose_done()


class _StrictLoader(_StrictComposer, Reader, Scanner, Parser, SafeConstructor, _Resolver):
    """Pure-Python scanner and parser."""

    def __init__(self, stream: str, line_offset: int, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        self._strict_init(line_offset, max_depth, max_nodes)


if CParser is not None:

    class _FastStrictLoader(_StrictComposer, CParser, SafeConstructor, _Resolver):  # type: ignore[misc, valid-type]
        """libyaml's scanner and parser (about ten times faster); composing stays ours, in Python,
        so the same checks run on the same events."""

        def __init__(self, stream: str, line_offset: int, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES):
            CParser.__init__(self, stream)
            self._strict_init(line_offset, max_depth, max_nodes)

    _Loader: type = _FastStrictLoader
else:  # PyYAML built without libyaml
    _Loader = _StrictLoader


_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"


class _DirectBuilder:
    """Builds the Python value of a document straight from parser events: the same checks
    in the same order as :class:`_StrictComposer`, :func:`_index_lines` and the constructor
    together, without the node tree in between (about twice as fast; a differential test
    holds the two ways to the same values, lines and problems).

    Problems found on keys (not a plain key, a null key, a duplicate) are raised only once
    the whole document is read, as before, where a syntax error, anchor or tag later in the
    document came first.
    """

    def __init__(self, loader, line_offset: int) -> None:
        self.loader = loader
        self.offset = line_offset
        self.lines: dict[Loc, int] = {}
        self.key_problem: LoadProblem | None = None

    def document(self) -> Any:
        loader = self.loader
        loader.get_event()  # stream start
        value = None
        empty = loader.check_event(StreamEndEvent)
        if not empty:
            loader.get_event()  # document start
            value = self.value((), record=True)
            loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            event = loader.get_event()
            raise ComposerError("expected a single document in the stream", None, "but found another document", event.start_mark)
        loader.get_event()  # stream end
        if self.key_problem is not None:
            raise _YamlRejected(self.key_problem)
        return value

    def _key_problem(self, problem: LoadProblem) -> None:
        if self.key_problem is None:
            self.key_problem = problem

    def value(self, loc: Loc, record: bool) -> Any:
        """One node at ``loc``; ``record`` is False inside a key (its lines are not kept)."""
        loader = self.loader
        loader.compose_check()  # alias, anchor, tag, node count, depth (raises)
        try:
            event = loader.peek_event()
            if isinstance(event, ScalarEvent):
                loader.get_event()
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(ScalarNode, event.value, event.implicit)
                return None if tag == _NULL_TAG else event.value
            if isinstance(event, SequenceStartEvent):
                loader.get_event()
                items = []
                while not loader.check_event(SequenceEndEvent):
                    index = len(items)
                    if record:
                        self.lines[(*loc, index)] = loader.peek_event().start_mark.line + 1 + self.offset
                    items.append(self.value((*loc, index), record))
                loader.get_event()
                return items
            loader.get_event()  # mapping start
            mapping: dict[Any, Any] = {}
            seen: dict[str, int] = {}
            where = ".".join(map(str, loc))
            while not loader.check_event(MappingEndEvent):
                key_event = loader.peek_event()
                line = key_event.start_mark.line + 1 + self.offset
                key_value = self.value(loc, record=False)
                if not isinstance(key_event, ScalarEvent):
                    self._key_problem(LoadProblem(line, where, "yaml_complex_key"))
                    key = object()  # the problem is raised; the value only has to be built
                elif key_value is None:  # `~: x` or `: x` would become a None key
                    self._key_problem(LoadProblem(line, where, "yaml_complex_key"))
                    key = object()
                else:
                    key = key_event.value
                    if key in seen:
                        dotted = ".".join(map(str, (*loc, key)))
                        self._key_problem(LoadProblem(line, dotted, "yaml_duplicate_key", {"first_line": seen[key]}))
                    else:
                        seen[key] = line
                        if record:
                            self.lines[(*loc, key)] = line
                inner = record and self.key_problem is None
                mapping[key] = self.value((*loc, key) if isinstance(key, str) else loc, inner)
            loader.get_event()
            return mapping
        finally:
            loader.compose_done()


def _index_lines(node: Node, loc: Loc, lines: dict[Loc, int], offset: int) -> None:
    """Record the line of every key (and list item) and reject duplicate keys."""
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, ScalarNode):
                raise _YamlRejected(LoadProblem(line, ".".join(map(str, loc)), "yaml_complex_key"))
            if key_node.tag == "tag:yaml.org,2002:null":  # `~: x` or `: x` would become a None key
                raise _YamlRejected(LoadProblem(line, ".".join(map(str, loc)), "yaml_complex_key"))
            key = key_node.value
            dotted = ".".join(map(str, (*loc, key)))
            if key in seen:
                raise _YamlRejected(
                    LoadProblem(line, dotted, "yaml_duplicate_key", {"first_line": seen[key]})
                )
            seen[key] = line
            lines[(*loc, key)] = line
            _index_lines(value_node, (*loc, key), lines, offset)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1 + offset
            _index_lines(item, (*loc, index), lines, offset)


def _char_at(text: str, mark) -> str:
    lines = text.split("\n")
    if mark is None or not 0 <= mark.line < len(lines) or not 0 <= mark.column < len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _yaml_error_problem(error: yaml.YAMLError, text: str, offset: int) -> LoadProblem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    detail = str(getattr(error, "problem", None) or str(error).splitlines()[0])
    context = str(getattr(error, "context", None) or "")
    code = "yaml_syntax"
    # The most common slips get their own plain message; the parser's English stays for the rest.
    if detail.startswith("mapping values are not allowed"):
        code = "yaml_colon"
    elif _char_at(text, getattr(error, "problem_mark", None)) == "\t" or "'\\t'" in detail:
        code = "yaml_tab"
    elif "quoted scalar" in context:
        code = "yaml_open_quote"
        mark = getattr(error, "context_mark", None) or mark  # where the quote was opened
    elif "flow" in context:
        mark = getattr(error, "context_mark", None) or mark  # where the [ or { was opened
    line = mark.line + 1 + offset if mark is not None else 1 + offset
    return LoadProblem(line, "", code, {"detail": detail})


def _reader_error_problem(error: yaml.reader.ReaderError, text: str, offset: int) -> LoadProblem:
    """An unprintable character (a control character, a lone surrogate) in the YAML."""
    position = error.position if isinstance(error.position, int) else 0
    # libyaml counts bytes of the UTF-8 text, the Python reader counts characters
    before = text.encode("utf-8", "surrogatepass")[:position] if error.encoding == "?" else text[:position]
    line = before.count(b"\n" if isinstance(before, bytes) else "\n") + 1 + offset
    return _special_character(line, chr(error.character))


def _special_character(line: int, char: str) -> LoadProblem:
    return LoadProblem(line, "", "special_character", {"char": characters.code_point(char), "name": characters.name_of(char)})


def parse_front_matter(
    text: str, line_offset: int = 0, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES, *, via_nodes: bool = False
) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document strictly; raises ``_YamlRejected`` with a LoadProblem.

    The limits (depth, node count) are ours, checked on every node as it is composed. libyaml
    has limits of its own that differ between its builds (newer ones stop at 1,000 nested
    flow collections while scanning ahead, before our composer sees the nodes). So when
    libyaml stops with an error, PyYAML's pure-Python parser reads the text again: if one of
    our checks stops it first, that is the answer, the same with any libyaml or none;
    otherwise the syntax error stands, in libyaml's words.

    ``via_nodes`` takes the reference way through PyYAML's node tree (see :class:`_DirectBuilder`)."""
    try:
        return _parse_with(_Loader, text, line_offset, max_depth, max_nodes, via_nodes)
    except _YamlRejected as rejected:
        if not rejected.by_parser or _Loader is _StrictLoader:
            raise
        try:
            _parse_with(_StrictLoader, text, line_offset, max_depth, max_nodes, via_nodes)
        except _YamlRejected as again:
            if not again.by_parser:
                raise again from None  # one of our limits or checks, reached before libyaml's error
        raise  # a real syntax error: libyaml's own words for it


def _parse_with(
    loader_class: type, text: str, line_offset: int, max_depth: int, max_nodes: int, via_nodes: bool
) -> tuple[Any, dict[Loc, int]]:
    try:
        # the Reader checks for unprintable characters as soon as it is made
        loader = loader_class(text, line_offset, max_depth, max_nodes)
    except yaml.reader.ReaderError as error:
        raise _YamlRejected(_reader_error_problem(error, text, line_offset), by_parser=True) from None
    except UnicodeEncodeError as error:  # a lone surrogate in text that never was UTF-8 bytes
        line = text[: error.start].count("\n") + 1 + line_offset
        raise _YamlRejected(_special_character(line, text[error.start]), by_parser=True) from None
    try:
        if via_nodes:  # the reference way: node tree, then lines and checks, then values
            node = loader.get_single_node()
            if node is None:
                return None, {}
            lines: dict[Loc, int] = {}
            _index_lines(node, (), lines, line_offset)
            return loader.construct_document(node), lines
        builder = _DirectBuilder(loader, line_offset)
        return builder.document(), builder.lines
    except _YamlRejected:
        raise
    except yaml.reader.ReaderError as error:
        raise _YamlRejected(_reader_error_problem(error, text, line_offset), by_parser=True) from None
    except yaml.YAMLError as error:
        raise _YamlRejected(_yaml_error_problem(error, text, line_offset), by_parser=True) from None
    except (RecursionError, ValueError, TypeError) as error:  # defensive: never a traceback
        problem = LoadProblem(1 + line_offset, "", "yaml_syntax", {"detail": str(error)})
        raise _YamlRejected(problem, by_parser=True) from None
    finally:
        loader.dispose()


def _decode(raw: bytes) -> tuple[str | None, LoadProblem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, LoadProblem(line, "", "not_utf8", {"byte": f"0x{raw[error.start]:02x}"})


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---``-delimited front matter from the body.

    Returns (front matter, body, line number where the body starts) or None when the
    file has no front matter block.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r ") != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r ") in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    return None


def _key_at(lines: dict[Loc, int], line: int) -> str:
    """The dotted key whose value is on ``line``: the deepest key that starts there, else the
    last one before it (a value over several lines); list positions are left out."""
    before = [(start, len(loc), loc) for loc, start in lines.items() if start <= line]
    if not before:
        return ""
    _, _, loc = max(before, key=lambda item: (item[0], item[1]))
    return ".".join(str(part) for part in loc if not isinstance(part, int))


def refused_character_problems(text: str) -> list[LoadProblem]:
    """Characters the character rule refuses (:mod:`wijknet.characters`), written as they are
    in the file: one problem per field, at the line of its first such character.

    YAML would refuse most of them without saying where, or read NEL as a line break, so they
    are found before YAML reads anything. To name the field, the front matter is read once
    more without them."""
    if characters.first_refused(text) is None:
        return []
    text = text.replace("\r\n", "\n")
    parts = split_front_matter(characters.remove_refused(text))
    lines: dict[Loc, int] = {}
    body_line = text.count("\n") + 2  # past the end: no body
    if parts is not None:
        front, _, body_line = parts
        try:
            _, lines = parse_front_matter(front, line_offset=1)
        except _YamlRejected:
            pass  # the problem is named by its line only
    problems: dict[str, LoadProblem] = {}
    line, counted = 1, 0
    for position in characters.refused_positions(text):
        line += text.count("\n", counted, position)
        counted = position
        if line >= body_line:
            key = "beschrijving"
        elif 1 < line < body_line - 1:  # between the two '---' lines
            key = _key_at(lines, line)
        else:
            key = ""
        if key not in problems:
            char = text[position]
            params = {"char": characters.code_point(char), "name": characters.name_of(char)}
            problems[key] = LoadProblem(line, key, "bad_character" if key else "special_character", params)
    return sorted(problems.values(), key=lambda problem: problem.line)


def load_text(text: str) -> LoadedFile:
    """Load entry text (already decoded)."""
    refused = refused_character_problems(text)
    if refused:
        return LoadedFile(None, problems=refused)
    text = text.replace("\r\n", "\n")
    parts = split_front_matter(text)
    if parts is None:
        opened = text.split("\n", 1)[0].rstrip("\r ") == "---"
        return LoadedFile(None, problems=[LoadProblem(1, "", "unterminated_front_matter" if opened else "no_front_matter")])
    front, body, body_line = parts
    try:
        data, lines = parse_front_matter(front, line_offset=1)
    except _YamlRejected as rejected:
        return LoadedFile(None, problems=[rejected.problem])
    if not isinstance(data, dict):
        kind = "empty" if data is None else ("list" if isinstance(data, list) else "text")
        return LoadedFile(None, problems=[LoadProblem(2, "", "not_a_mapping", {"found": kind})])
    return LoadedFile(data, body=body.strip("\n"), body_line=body_line, lines=lines)


def load_bytes(raw: bytes) -> LoadedFile:
    """Load entry bytes: size and encoding checks, then :func:`load_text`."""
    if len(raw) > MAX_FILE_BYTES:
        return LoadedFile(
            None, problems=[LoadProblem(1, "", "file_too_large", {"size": len(raw), "max": MAX_FILE_BYTES})]
        )
    text, problem = _decode(raw)
    if problem is not None:
        return LoadedFile(None, problems=[problem])
    return load_text(text)


def load_path(path: Path) -> LoadedFile:
    """Read and load one file; reads at most one byte past the size limit."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:  # report the real size, not the bytes read
                size = max(os.fstat(handle.fileno()).st_size, len(raw))
                return LoadedFile(
                    None, problems=[LoadProblem(1, "", "file_too_large", {"size": size, "max": MAX_FILE_BYTES})]
                )
    except OSError as error:
        return LoadedFile(None, problems=[LoadProblem(1, "", "unreadable", {"detail": error.strerror or str(error)})])
    return load_bytes(raw)


def load_yaml_document(raw: bytes) -> tuple[Any, dict[Loc, int], LoadProblem | None]:
    """Load a whole YAML file (taxonomy, settings) with the same strict rules."""
    if len(raw) > 4 * 1024 * 1024:
        return None, {}, LoadProblem(1, "", "file_too_large", {"size": len(raw), "max": 4 * 1024 * 1024})
    text, problem = _decode(raw)
    if problem is not None:
        return None, {}, problem
    try:
        data, lines = parse_front_matter(text, 0, max_depth=12, max_nodes=1_000_000)
    except _YamlRejected as rejected:
        return None, {}, rejected.problem
    return data, lines, None
