"""The safe loader: limits, encodings, line numbers, and hostile YAML."""

from __future__ import annotations

import time

from wijknet.content.loader import MAX_FILE_BYTES, load_bytes, load_path

from .conftest import entry_data, entry_text, line_of


def _codes(loaded):
    return [p.code for p in loaded.problems]


def test_size_limit_is_exact():
    text = entry_text(entry_data(), body="")
    padding = MAX_FILE_BYTES - len(text.encode())
    at_limit = (text + "x" * padding).encode()
    assert len(at_limit) == MAX_FILE_BYTES
    assert load_bytes(at_limit).problems == []
    assert _codes(load_bytes(at_limit + b"x")) == ["file_too_large"]


def test_oversized_file_reports_its_real_size(tmp_path):
    path = tmp_path / "groot.md"
    path.write_bytes(b"---\ntitel: x\n---\n" + b"x" * 200_000)
    [problem] = load_path(path).problems
    assert problem.code == "file_too_large" and problem.params["size"] == path.stat().st_size


def test_bom_and_crlf_are_tolerated_with_the_same_lines():
    text = entry_text(entry_data())
    plain = load_bytes(text.encode())
    for raw in (b"\xef\xbb\xbf" + text.encode(), text.replace("\n", "\r\n").encode()):
        loaded = load_bytes(raw)
        assert loaded.problems == []
        assert loaded.data == plain.data and loaded.lines == plain.lines and loaded.body == plain.body


def test_every_key_and_item_has_its_line():
    text = entry_text(entry_data())
    loaded = load_bytes(text.encode())
    assert loaded.lines[("titel",)] == 2
    assert loaded.lines[("contact", "email")] == line_of(text, "  email:")
    assert loaded.lines[("themas", 1)] == line_of(text, "- ontmoeting")
    assert loaded.body_line == text.split("\n").index("Iedereen is welkom.") + 1


def test_scalars_stay_text():
    loaded = load_bytes(b"---\na: no\nb: 0201234567\nc: 2026-11-01\nd: 1.5\ne:\nf: ~\ng: 'yes'\n---\n")
    assert loaded.data == {"a": "no", "b": "0201234567", "c": "2026-11-01", "d": "1.5", "e": None, "f": None, "g": "yes"}


def test_billion_laughs_is_rejected_quickly():
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    started = time.perf_counter()
    loaded = load_bytes(("\n".join(lines) + "\n---\n").encode())
    assert time.perf_counter() - started < 1
    assert _codes(loaded) == ["yaml_anchor"]


def test_many_values_are_rejected():
    raw = ("---\nx: [" + ", ".join(["a"] * 6000) + "]\n---\n").encode()
    assert _codes(load_bytes(raw)) == ["yaml_too_many"]


def test_deep_flow_nesting_is_rejected_without_recursion_error():
    raw = ("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n").encode()
    assert _codes(load_bytes(raw)) == ["yaml_too_deep"]


def test_explicit_tags_are_rejected_and_not_executed():
    for tag in ("!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!x hallo", "!!str hallo",
                "!!binary aGFsbG8=", "!<tag:yaml.org,2002:str> hallo"):
        loaded = load_bytes(f"---\ntitel: {tag}\n---\n".encode())
        assert _codes(loaded) == ["yaml_tag"], tag
        assert loaded.problems[0].line == 2


def test_tags_on_collections_are_rejected():
    assert _codes(load_bytes(b"---\na: !!set {x, y}\n---\n")) == ["yaml_tag"]
    assert _codes(load_bytes(b"---\na: !!omap [x: 1]\n---\n")) == ["yaml_tag"]


def test_duplicate_keys_name_both_lines():
    [problem] = load_bytes(b"---\na: 1\nb:\n  c: 1\n  c: 2\n---\n").problems
    assert (problem.code, problem.key, problem.line, problem.params["first_line"]) == ("yaml_duplicate_key", "b.c", 5, 4)


def test_null_and_complex_keys_are_rejected():
    assert _codes(load_bytes(b"---\n~: a\n---\n")) == ["yaml_complex_key"]
    assert _codes(load_bytes(b"---\n? [a, b]\n: c\n---\n")) == ["yaml_complex_key"]


def test_front_matter_shapes():
    assert _codes(load_bytes(b"")) == ["no_front_matter"]
    assert _codes(load_bytes(b"titel: x\n")) == ["no_front_matter"]
    assert _codes(load_bytes(b"---\ntitel: x\n")) == ["unterminated_front_matter"]
    assert _codes(load_bytes(b"---\n---\n")) == ["not_a_mapping"]
    assert _codes(load_bytes(b"---\n- a\n---\n")) == ["not_a_mapping"]
    assert _codes(load_bytes(b"---\nhallo\n---\n")) == ["not_a_mapping"]
    assert load_bytes(b"---\ntitel: x\n...\nbody\n").body == "body"


def test_nul_and_bad_bytes_point_at_their_line():
    [problem] = load_bytes(b"---\ntitel: x\nsoort: a\x00b\n---\n").problems
    assert (problem.code, problem.line) == ("control_character", 3)
    [problem] = load_bytes(b"---\ntitel: x\n\nsoort: caf\xe9\n---\n").problems
    assert (problem.code, problem.line, problem.params["byte"]) == ("not_utf8", 4, "0xe9")


def test_pure_python_and_libyaml_parsers_agree(monkeypatch):
    """The fast loader (libyaml events) and the fallback (PyYAML's Python parser) give the
    same data, lines and problem codes on the whole bad corpus and the sample content."""
    from pathlib import Path

    from wijknet.content import loader

    if loader.CParser is None:
        return
    files = sorted((Path(__file__).parent / "bad").rglob("*.md"))[:200] + sorted(
        (Path(__file__).parents[2] / "content" / "initiatieven").glob("*.md")
    )
    assert len(files) > 100
    for path in files:
        raw = path.read_bytes()
        fast = load_bytes(raw)
        with monkeypatch.context() as patch:
            patch.setattr(loader, "_Loader", loader._StrictLoader)
            slow = load_bytes(raw)
        assert fast.data == slow.data and fast.lines == slow.lines, path.name
        assert [(p.line, p.code) for p in fast.problems] == [(p.line, p.code) for p in slow.problems], path.name
