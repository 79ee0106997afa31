"""The safe loader: limits, encodings, line numbers, and hostile YAML."""

from __future__ import annotations

import time

import pytest
from testkit import REPO

from wijknet import safe_yaml as loader
from wijknet.safe_yaml import MAX_FILE_BYTES, load_bytes, load_path

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


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    """Each limit test runs with libyaml's parser (as installed) and with PyYAML's own."""
    if request.param == "libyaml":
        if loader.CParser is None:
            pytest.skip("this PyYAML was built without libyaml")
        monkeypatch.setattr(loader, "_Loader", loader._FastStrictLoader)
    else:
        monkeypatch.setattr(loader, "_Loader", loader._StrictLoader)
    return request.param


def test_many_values_are_rejected(parser):
    raw = ("---\nx: [" + ", ".join(["a"] * 6000) + "]\n---\n").encode()
    assert _codes(load_bytes(raw)) == ["yaml_too_many"]


def test_node_limit_is_exact(parser):
    # the mapping, its key and the list count too: 3 nodes besides the items
    fits = ("---\nx: [" + ", ".join(["a"] * (loader.MAX_NODES - 3)) + "]\n---\n").encode()
    assert load_bytes(fits).problems == []
    over = ("---\nx: [" + ", ".join(["a"] * (loader.MAX_NODES - 2)) + "]\n---\n").encode()
    assert _codes(load_bytes(over)) == ["yaml_too_many"]


@pytest.mark.parametrize("depth", [1_001, 5_000, 30_000])
def test_deep_flow_nesting_is_rejected_without_recursion_error(parser, depth):
    # libyaml builds differ: some stop at 1,000 nested flow collections with a syntax error
    # of their own; ours stops at MAX_DEPTH, and says so, with any build
    raw = ("---\nx: " + "[" * depth + "]" * depth + "\n---\n").encode()
    [problem] = load_bytes(raw).problems
    assert (problem.code, problem.line, problem.params) == ("yaml_too_deep", 2, {"max": loader.MAX_DEPTH})


def test_depth_limit_is_exact_in_flow_and_block_style(parser):
    inside = loader.MAX_DEPTH - 1  # the top mapping is one level
    flow = "---\nx: " + "[" * (inside - 1) + "a" + "]" * (inside - 1) + "\n---\n"
    assert "yaml_too_deep" not in _codes(load_bytes(flow.encode()))
    flow_over = "---\nx: " + "[" * inside + "a" + "]" * inside + "\n---\n"
    assert _codes(load_bytes(flow_over.encode())) == ["yaml_too_deep"]
    block = "---\n" + "".join("  " * level + f"k{level}:\n" for level in range(inside)) + "  " * inside + "v\n---\n"
    assert "yaml_too_deep" not in _codes(load_bytes(block.encode()))
    block_over = "---\n" + "".join("  " * level + f"k{level}:\n" for level in range(inside + 1)) + "  " * (inside + 1) + "v\n---\n"
    assert _codes(load_bytes(block_over.encode())) == ["yaml_too_deep"]


def test_size_limit_holds_with_either_parser(parser):
    text = entry_text(entry_data(), body="")
    at_limit = (text + "x" * (MAX_FILE_BYTES - len(text.encode()))).encode()
    assert load_bytes(at_limit).problems == []
    assert _codes(load_bytes(at_limit + b"x")) == ["file_too_large"]


def test_an_error_of_libyaml_alone_is_decided_by_the_python_parser(monkeypatch):
    """Where libyaml stops on an error, our limits and checks still give the answer the
    pure-Python parser gives; a real syntax error has the same code and line either way."""
    if loader.CParser is None:
        pytest.skip("this PyYAML was built without libyaml")
    texts = ["x: " + "[" * 2000 + "]" * 2000, "x: [open", "a: 1\n b: 2", "x: 'open", "a:\n\tb: 1"]
    for text in texts:
        with pytest.raises(loader._YamlRejected) as fast:
            loader.parse_front_matter(text, 1)
        monkeypatch.setattr(loader, "_Loader", loader._StrictLoader)
        with pytest.raises(loader._YamlRejected) as slow:
            loader.parse_front_matter(text, 1)
        monkeypatch.undo()
        assert (fast.value.problem.code, fast.value.problem.line) == (slow.value.problem.code, slow.value.problem.line), text
        if slow.value.problem.code == "yaml_too_deep":
            assert fast.value.problem == slow.value.problem


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
    assert (problem.code, problem.line, problem.key, problem.params["char"]) == ("bad_character", 3, "soort", "U+0000")
    [problem] = load_bytes(b"---\ntitel: x\n\nsoort: caf\xe9\n---\n").problems
    assert (problem.code, problem.line, problem.params["byte"]) == ("not_utf8", 4, "0xe9")


def test_pure_python_and_libyaml_parsers_agree(monkeypatch):
    """The fast loader (libyaml events) and the fallback (PyYAML's Python parser) give the
    same data, lines and problem codes on the whole bad corpus and the sample content."""
    from pathlib import Path

    from wijknet import safe_yaml as loader

    if loader.CParser is None:
        return
    files = sorted((Path(__file__).parent / "bad").rglob("*.md"))[:200] + sorted(
        (REPO / "content" / "initiatieven").glob("*.md")
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
