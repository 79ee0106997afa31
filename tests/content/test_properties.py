"""Property-based tests: nothing a file contains makes loading or validation raise."""

from __future__ import annotations

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijknet.safe_yaml import _YamlRejected, load_bytes, parse_front_matter
from wijknet.content.validation import FileResult, validate_loaded
from wijknet.slugs import SLUG_PATTERN, is_valid_slug, slugify

from .conftest import VALID, entry_data, entry_text

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
YAMLISH = st.text(
    alphabet=st.sampled_from(list("-:[]{}&*!|>'\"#%@`,?~ \t\n\r\\0123abcxyzé\u00a0\ufeff\x00")) | st.characters(),
    max_size=300,
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40)
NESTED = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)


def _outcome(context, raw: bytes, slug: str = "test-entry") -> FileResult:
    result = validate_loaded(load_bytes(raw), slug, "x.md", context)
    assert isinstance(result, FileResult)
    assert (result.entry is None) == bool(result.problems)
    for problem in result.problems:
        assert isinstance(problem.line, int) and problem.line >= 0
        assert isinstance(problem.message("nl"), str) and isinstance(problem.message("en"), str)
    return result


@SETTINGS
@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes(context, raw):
    _outcome(context, raw)
    _outcome(context, b"---\n" + raw + b"\n---\n")


@SETTINGS
@given(text=YAMLISH)
def test_arbitrary_yamlish_text(context, text):
    _outcome(context, ("---\n" + text + "\n---\nbody\n").encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.dictionaries(st.text(max_size=12), NESTED, max_size=6))
def test_arbitrary_nested_mappings(context, data):
    front = yaml.safe_dump(data, allow_unicode=True)
    _outcome(context, ("---\n" + front + "---\n").encode("utf-8", "surrogatepass"))


@SETTINGS
@given(key=st.sampled_from(sorted(VALID) + ["contact__email", "locatie__lat", "wanneer", "uitgelicht__tot"]), value=NESTED)
def test_any_value_for_a_real_key(context, key, value):
    data = entry_data(**{key: value})
    text = entry_text(data)
    _outcome(context, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(text=st.text(max_size=100))
def test_slugify_properties(text):
    slug = slugify(text)
    assert slugify(slug) == slug
    assert slug == "" or re.fullmatch(SLUG_PATTERN, slug)
    assert is_valid_slug(slug) == (3 <= len(slug) <= 80)


@SETTINGS
@given(slug=st.text(max_size=90))
def test_slug_of_any_file_name_never_raises(context, slug):
    result = _outcome(context, entry_text(entry_data()).encode(), slug=slug)
    assert (result.entry is not None) == is_valid_slug(slug)


# --- the direct builder against the reference way through PyYAML's node tree -------------

STRUCTURED = st.lists(
    st.sampled_from(
        ["a: 1", "a: x", "b:", "  - x", "  - y: 2", "    z: 3", "- q", "c: [1, 2]", "d: {e: f}", "a: 2", "~: x",
         ": x", "? [k]\n: v", "? {k: v}\n: w", "e: &x 1", "f: *x", "g: !!int 3", "h: !x y", "i: ! z", "j: 'q'",
         'k: "~"', "l: ~", "m: null", "n: |\n  block\n  text", "o: >\n  folded", "  p: 1", "q:\n  r:\n    s: [t]",
         "u: [a, [b, [c, [d, [e, [f, [g, [h]]]]]]]]", "v: {w: {x: {y: {z: {}}}}}", "--- x", "...", "w: 'open",
         "x: [open", "y:\tz", "'k': 1", "\"k\": 2", "k: 3", "z: a: b", "- - -"]
    ),
    max_size=12,
).map("\n".join)


def _both_ways(text: str, max_nodes: int = 5_000):
    outcomes = []
    for via_nodes in (False, True):
        try:
            outcomes.append(("ok", *parse_front_matter(text, 1, max_nodes=max_nodes, via_nodes=via_nodes)))
        except _YamlRejected as rejected:
            outcomes.append(("rejected", rejected.problem))
    return outcomes


@settings(max_examples=1500, deadline=None)
@given(text=STRUCTURED | YAMLISH)
def test_direct_builder_equals_the_node_tree_way(text):
    direct, reference = _both_ways(text)
    assert direct == reference


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.text(max_size=12), NESTED, max_size=6), max_nodes=st.integers(1, 40))
def test_direct_builder_equals_the_node_tree_way_on_dumped_data(data, max_nodes):
    direct, reference = _both_ways(yaml.safe_dump(data, allow_unicode=True), max_nodes)
    assert direct == reference
