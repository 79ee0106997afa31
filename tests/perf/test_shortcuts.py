"""The shortcuts of the fast path give what the slow path gives.

- the search index made without lunr's Builder is the same as lunr's, at every precision;
- matching reads only :func:`matching_view`: changing any other field leaves the matches alone,
  so remembering matches by the views is safe;
- a build with nothing changed does nothing, but still notices a changed output file or a
  changed entry;
- the build gives the same bytes with the file side in a forked process and in one process.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import REPO, TEST_DATE, make_content, tree
from testkit.generated import generate_named_entries

from wijknet.build import build_site
from wijknet.content.writer import render_entry
from wijknet.matching.core import match_catalog, matching_view
from wijknet.project import Project
from wijknet.dutch.analysis import DutchAnalysis
from wijknet.search.index import (
    PipelineWords,
    SearchConfig,
    build_index,
    build_index_with_lunr,
    dump_json,
)

TODAY = TEST_DATE


@pytest.fixture(scope="module")
def analysis() -> DutchAnalysis:
    """lunr's Dutch analysis from the repository's node_modules."""
    return DutchAnalysis.from_node_modules(REPO / "node_modules")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """200 generated entries (all kinds, questions among them) as a project."""
    root = tmp_path_factory.mktemp("generated")
    project = Project.at(REPO, content=make_content(root, entries=generate_named_entries(200)))
    catalog = project.load(TODAY).catalog
    assert catalog is not None
    return project, catalog


@pytest.mark.parametrize("config", [SearchConfig(), SearchConfig(description_words=200, precision=3)])
def test_the_search_index_equals_the_one_lunr_builds(generated, config):
    _, catalog = generated
    analysis = DutchAnalysis.from_node_modules()
    ours = dump_json(build_index(catalog, analysis, config))
    assert ours == dump_json(build_index_with_lunr(catalog, analysis, config))
    assert len(ours) > 10_000


def test_matching_reads_nothing_outside_its_view(generated):
    """Change every field outside the view of every entry: the matches stay the same."""
    _, catalog = generated
    before = match_catalog(catalog)
    assert before.by_question, "the generated content must have questions with matches"
    changes = {
        "contact": None,
        "location": None,
        "hours": "Elke dag",
        "cost": "Gratis",
        "languages": ["nl", "en"],
        "featured": None,
    }
    entries = []
    for entry in catalog.entries:
        changed = entry.model_copy(update=changes)
        assert matching_view(changed) == matching_view(entry)
        entries.append(changed)
    other = type(catalog)(entries=tuple(entries), taxonomy=catalog.taxonomy, settings=catalog.settings, today=catalog.today)
    after = match_catalog(other)
    assert after.by_question == before.by_question
    assert after.by_entry == before.by_entry and after.counts == before.counts
    # ... while a field inside the view does change them
    question = before.questions[0]
    moved = [e.model_copy(update={"themes": [t for t in catalog.taxonomy.themes.ids() if t not in e.themes][:1]}) if e.slug == question.slug else e for e in entries]  # fmt: skip
    assert matching_view(moved[[e.slug for e in entries].index(question.slug)]) != matching_view(question)


def test_an_unchanged_build_does_nothing_but_notices_changes(generated, tmp_path):
    project, catalog = generated
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_site(project, output, TODAY, cache_dir=cache)
    before = tree(output)

    unchanged = build_site(project, output, TODAY, cache_dir=cache)
    assert (unchanged.rendered, unchanged.written, unchanged.removed) == (0, 0, 0)
    assert unchanged.files == len(before) and unchanged.entries == len(catalog.entries)

    # an output file changed by hand is put right
    page = output / "over" / "index.html"
    page.write_text("kapot", encoding="utf-8")
    repaired = build_site(project, output, TODAY, cache_dir=cache)
    assert repaired.written == 1 and tree(output) == before

    # an edited entry is built
    slug = catalog.entries[5].slug
    entry = catalog.by_slug[slug]
    (project.content / f"{slug}.md").write_text(
        render_entry(entry.model_copy(update={"title": entry.title + " (nieuw)"})), encoding="utf-8"
    )
    edited = build_site(project, output, TODAY, cache_dir=cache)
    assert edited.rendered > 0
    assert "(nieuw)" in (output / "initiatieven" / slug / "index.html").read_text()

    # another build date is another build
    later = build_site(project, output, TODAY + dt.timedelta(days=1), cache_dir=cache)
    assert later.rendered > 0


def test_one_process_and_a_forked_file_side_give_the_same_bytes(generated, tmp_path):
    project, _ = generated
    build_site(project, tmp_path / "one", TODAY, use_cache=False, jobs=1)
    build_site(project, tmp_path / "two", TODAY, cache_dir=tmp_path / "cache", jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aeiouklmnrstéëĳ09 -\t\n\xa0\u2003.,'İ"), max_size=80))
def test_words_remembered_give_what_lunr_gives(analysis, text):
    """Terms per distinct word (the build's way) equal lunr's tokenizer and pipeline on the
    whole text, for any text with separators, stop words, accents and odd spaces."""
    words = PipelineWords(analysis)
    for field_name in ("t", "s"):
        assert words.terms(text, field_name) == words.lunr_terms(text, field_name)
        assert words.terms(text, field_name) == words.lunr_terms(text, field_name)  # remembered


def test_words_remembered_on_sample_text(analysis):
    words = PipelineWords(analysis)
    sample = "De buurtkamer in Oost-Watergraafsmeer is open voor ouderen en mantelzorgers; koffie en thee, gratis! Zoë's 2e taalcafé"
    assert words.terms(sample, "s") == words.lunr_terms(sample, "s")
    assert "buurtkamer" in words.terms(sample, "s") and "de" not in words.terms(sample, "s")


def test_an_unusable_cache_folder_makes_a_build_without_cache_not_a_failure(generated, tmp_path, capsys):
    project, catalog = generated
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    report = build_site(project, tmp_path / "output", TODAY, cache_dir=blocker / "cache")
    assert report.entries == len(catalog.entries) and (tmp_path / "output" / "index.html").is_file()
    assert "zonder cache gebouwd" in capsys.readouterr().err


def test_compiled_templates_are_kept_per_code_version(tmp_path, monkeypatch):
    import wijknet.engine.cache as cache_module

    cache = cache_module.BuildCache(tmp_path)
    first = cache.folder("templates")
    (first / "__jinja2_x.cache").write_bytes(b"compiled")
    assert cache.folder("templates") == first and (first / "__jinja2_x.cache").is_file()
    monkeypatch.setattr(cache_module, "code_version", lambda: "another-version-of-the-code")
    second = cache.folder("templates")
    assert second != first and second.is_dir() and not first.exists()


def test_an_edit_with_known_words_does_not_load_the_stemmer(generated, tmp_path):
    """Stems and the search terms of words are remembered between builds: after an edit
    that brings no new word, neither the build's main process nor its forked file side
    imports nltk or lunr (0.1-0.2 s each), and the output is still right. The forked side
    hands the stems it learned back to the main process, which keeps them."""
    import os
    import subprocess
    import sys

    project, catalog = generated
    content = make_content(tmp_path, content=project.content.parent)
    copy = Project.at(REPO, content=content)
    output, cache = tmp_path / "output", tmp_path / "cache"
    script = (
        "import sys, datetime as dt\n"
        "from wijknet.build import build_site\nfrom wijknet.project import Project\n"
        f"report = build_site(Project.at({str(REPO)!r}, content={str(content)!r}), {str(output)!r}, dt.date(2026, 11, 23), cache_dir={str(cache)!r})\n"
        "print(report.rendered, 'nltk' in sys.modules)\n"
    )
    env = dict(os.environ, WIJKNET_JOBS="2")  # the file side in a forked process

    def build() -> tuple[int, bool, set[str]]:
        # -X importtime: every process of the build (the forked side too) reports its imports
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", script], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        rendered, nltk_loaded = done.stdout.split()
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        return int(rendered), nltk_loaded == "True", imported

    _, nltk_loaded, imported = build()
    assert nltk_loaded and {"nltk", "lunr"} <= imported  # the first build analyses every word
    assert (cache / "memo" / "stems.pickle").is_file() and (cache / "memo" / "search-words.pickle").is_file()
    entry = catalog.listed[3]
    path = content / "initiatieven" / f"{entry.slug}.md"
    path.write_text(path.read_text() + f"\n{entry.summary}\n", encoding="utf-8")  # words it already had
    rendered, nltk_loaded, imported = build()
    assert rendered >= 1 and not nltk_loaded
    assert not {"nltk", "lunr", "nltk.stem.snowball"} & imported
    clean = tmp_path / "clean"
    build_site(copy, clean, TODAY, use_cache=False)
    assert tree(output) == tree(clean)


def test_a_forked_process_hands_back_the_stems_it_learned(tmp_path):
    """What a forked process adds to a live dict it inherited is written by the parent, which
    saves that namespace; what it adds to a namespace of its own it saves itself."""
    from wijknet.engine.cache import BuildCache

    side = BuildCache(tmp_path)  # the file side's copy of the cache, as it was at the fork
    side.live_dict("stems", "nltk x")["huis"] = "huis"  # opened before the fork
    side.forked()
    side.live_dict("stems", "nltk x")["fietsen"] = "fiets"
    side.live_dict("search-words", "v")[("fietsen", "t")] = ("fiets",)
    learned = side.learned()
    assert learned == {"stems": [("fietsen", "fiets")]}
    side.save()  # the side writes only its own namespace
    assert (tmp_path / "memo" / "search-words.pickle").is_file() and not (tmp_path / "memo" / "stems.pickle").exists()

    again = BuildCache(tmp_path)  # the parent of another build, which read stems before its fork
    again.live_dict("stems", "nltk x")["huis"] = "huis"
    again.keep_learned(learned)
    again.save()
    assert BuildCache(tmp_path).live_dict("stems", "nltk x") == {"huis": "huis", "fietsen": "fiets"}


def test_stems_of_another_nltk_version_are_not_used(tmp_path):
    import wijknet.dutch.analysis as analysis_module
    from wijknet.engine.cache import BuildCache

    other = BuildCache(tmp_path)
    other.live_dict("stems", "nltk 0.0-other")["zzwoordzz"] = "fout"
    other.save()
    assert analysis_module.stems_namespace(BuildCache(tmp_path)).get("zzwoordzz") is None
    same = BuildCache(tmp_path)
    analysis_module.stems_namespace(same)["zzwoordzz"] = "goed"
    same.save()
    analysis = analysis_module.DutchAnalysis.from_node_modules()
    analysis.remember_stems(analysis_module.stems_namespace(BuildCache(tmp_path)))
    assert analysis.stems["zzwoordzz"] == "goed" and analysis.stem("zzwoordzz") == "goed"
