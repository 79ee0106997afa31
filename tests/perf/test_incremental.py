"""The fast path gives exactly the bytes of a clean build.

A small generated site (60 entries) is built, then changed the ways a moderator changes it:
one entry edited, one added, one deleted. The incremental build in place must leave the
output folder byte-for-byte equal to a clean build of the same input (no cache, fresh
folder), deleted entries' pages gone, and it must actually have skipped work.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys

import pytest
from testkit import REPO, TEST_DATE, make_content, tree, unhashed
from testkit.generated import generate_named_entries

from wijknet.build import HostInput, build_site
from wijknet.content.catalog import ContentError
from wijknet.content.writer import render_entry
from wijknet.project import Project

TODAY = TEST_DATE
SIZE = 60


@pytest.fixture
def site(tmp_path):
    """A project with 60 generated entries (plus one more kept aside) and its own cache."""
    named = generate_named_entries(SIZE + 1)
    project = Project.at(REPO, content=make_content(tmp_path, entries=named[:SIZE]))
    content = project.content
    return {"project": project, "content": content, "spare": named[SIZE], "cache": tmp_path / "cache", "tmp": tmp_path}


def _edit_summary(project: Project, slug: str, extra: str) -> None:
    entry = project.load(TODAY).catalog.by_slug[slug]
    changed = entry.model_copy(update={"summary": f"{entry.summary} {extra}"[:300]})
    (project.content / f"{slug}.md").write_text(render_entry(changed), encoding="utf-8")


def test_edit_add_delete_in_place_equals_a_clean_build(site):
    project, content, cache = site["project"], site["content"], site["cache"]
    output = site["tmp"] / "output"
    first = build_site(project, output, TODAY, cache_dir=cache)
    assert first.rendered > SIZE  # every page rendered the first time

    unchanged = build_site(project, output, TODAY, cache_dir=cache)
    assert unchanged.written == 0 and unchanged.removed == 0
    assert unchanged.rendered <= 2, "an unchanged site renders (almost) nothing"

    slugs = sorted(path.stem for path in content.glob("*.md"))
    edited, deleted = slugs[3], slugs[10]
    _edit_summary(project, edited, "Nu ook op zondagmiddag open.")
    (content / f"{deleted}.md").unlink()
    spare_slug, spare_text = site["spare"]
    (content / f"{spare_slug}.md").write_text(spare_text, encoding="utf-8")
    mtime_before = (output / "over" / "index.html").stat().st_mtime_ns

    again = build_site(project, output, TODAY, cache_dir=cache)
    assert again.removed >= 1  # the deleted entry's page
    assert again.rendered < first.rendered / 2, "the cache must skip pages that did not change"
    assert (output / "over" / "index.html").stat().st_mtime_ns == mtime_before  # not rewritten

    clean = site["tmp"] / "clean"
    build_site(project, clean, TODAY, use_cache=False)
    assert tree(output) == tree(clean)
    assert not (output / "initiatieven" / deleted).exists()
    assert (output / "initiatieven" / spare_slug / "index.html").is_file()
    assert "Nu ook op zondagmiddag open." in (output / "initiatieven" / edited / "index.html").read_text()
    assert [p.name for p in site["tmp"].iterdir() if p.name.startswith(".")] == []  # no staging left


def test_a_page_whose_context_did_not_change_follows_what_its_template_asked_the_catalog(site):
    """A gestopt entry keeps its page; its theme is a link only while the theme has listed
    entries. Deleting the only other entry with that theme changes the gestopt page although
    nothing in its own context changed: the recorded ``catalog.facet_count`` must catch it."""
    project, content, cache = site["project"], site["content"], site["cache"]
    catalog = project.load(TODAY).catalog
    areas = catalog.taxonomy.areas
    wijken = [area.id for area in areas.of_level("wijk")]
    far = next(w for w in reversed(wijken) if areas.stadsdeel_of(w) != areas.stadsdeel_of(wijken[0]))
    theme = min(catalog.taxonomy.themes.ids(), key=lambda t: catalog.facet_count("themes", t))
    spare = next(t for t in catalog.taxonomy.themes.ids() if t != theme)
    holder, stopped = sorted(catalog.by_slug)[:2]
    for entry in catalog.entries:
        update: dict = {}
        if entry.slug == holder:
            update = {"themes": [theme], "areas": [wijken[0]]}
        elif entry.slug == stopped:
            update = {"themes": [theme], "areas": [far], "status": "gestopt"}
        elif theme in entry.themes:
            update = {"themes": [t for t in entry.themes if t != theme] or [spare]}
        if update:
            (content / f"{entry.slug}.md").write_text(render_entry(entry.model_copy(update=update)), encoding="utf-8")
    output = site["tmp"] / "output"
    build_site(project, output, TODAY, cache_dir=cache)
    page = output / "initiatieven" / stopped / "index.html"
    assert f'href="/thema/{theme}/"' in page.read_text()

    (content / f"{holder}.md").unlink()
    build_site(project, output, TODAY, cache_dir=cache)
    assert f'href="/thema/{theme}/"' not in page.read_text()
    clean = site["tmp"] / "clean"
    build_site(project, clean, TODAY, use_cache=False)
    assert tree(output) == tree(clean)


def test_invalid_edit_leaves_the_incremental_output_untouched(site):
    project, content, cache = site["project"], site["content"], site["cache"]
    output = site["tmp"] / "output"
    build_site(project, output, TODAY, cache_dir=cache)
    before = tree(output)
    victim = sorted(content.glob("*.md"))[0]
    victim.write_text(victim.read_text().replace("soort: ", "soort: onbekend-", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build_site(project, output, TODAY, cache_dir=cache)
    assert any(problem.key == "soort" for problem in caught.value.problems)
    assert tree(output) == before


def test_cached_entries_still_meet_the_date_rule(site):
    """``gecontroleerd`` may not lie after the build date, also for an entry from the cache."""
    project, content, cache = site["project"], site["content"], site["cache"]
    build_site(project, site["tmp"] / "output", TODAY, cache_dir=cache)
    latest = max(entry.checked for entry in project.load(TODAY).catalog.entries)
    with pytest.raises(ContentError) as caught:
        build_site(project, site["tmp"] / "output", latest - dt.timedelta(days=1), cache_dir=cache)
    assert {problem.key for problem in caught.value.problems} == {"gecontroleerd"}


def test_a_new_build_date_renders_date_dependent_pages_again(site):
    project, cache = site["project"], site["cache"]
    output = site["tmp"] / "output"
    build_site(project, output, TODAY, cache_dir=cache)
    later = TODAY + dt.timedelta(days=40)
    build_site(project, output, later, cache_dir=cache)
    clean = site["tmp"] / "clean"
    build_site(project, clean, later, use_cache=False)
    assert tree(output) == tree(clean)


def test_plain_pelican_gives_the_same_bytes_as_wijknet_build(site):
    """``pelican content -s pelicanconf.py`` renders through the same renderer."""
    project = site["project"]
    ours = site["tmp"] / "ours"
    build_site(project, ours, TODAY, use_cache=False)
    theirs = site["tmp"] / "theirs"
    env = dict(os.environ, WIJKNET_CONTENT=str(project.content), WIJKNET_DATE=TODAY.isoformat(),
               WIJKNET_CACHE_DIR=str(site["cache"]))  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(project.content.parent), "-s", str(REPO / "pelicanconf.py"), "-o", str(theirs), "-q"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree(theirs) == tree(ours)
    shutil.rmtree(theirs)


def test_a_changed_stylesheet_is_a_new_name_on_every_page_and_the_old_one_goes(site):
    """Pages name the theme's files by content hash: an edit to a CSS file must render every
    page that names it again (its new name), write the new copy, remove the old one, and
    still give the bytes of a clean build."""
    project, cache = site["project"], site["cache"]
    theme = site["tmp"] / "theme"
    shutil.copytree(REPO / "theme", theme)
    host = HostInput(settings={"THEME": str(theme)})
    output = site["tmp"] / "output"
    build_site(project, output, TODAY, cache_dir=cache, host=host)
    old_name = _stylesheet(output / "index.html")
    assert unhashed(old_name) == "/static/css/site.css" and (output / old_name.lstrip("/")).is_file()
    assert build_site(project, output, TODAY, cache_dir=cache, host=host).rendered <= 2

    sheet = theme / "static" / "css" / "site.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n.nieuw { color: #000; }\n", encoding="utf-8")
    again = build_site(project, output, TODAY, cache_dir=cache, host=host)
    new_name = _stylesheet(output / "index.html")
    assert new_name != old_name and unhashed(new_name) == "/static/css/site.css"
    assert (output / new_name.lstrip("/")).read_bytes() == sheet.read_bytes()
    assert not (output / old_name.lstrip("/")).exists()
    assert again.rendered > SIZE, "every page names the stylesheet"
    for page in output.rglob("index.html"):
        if page.parent.name != "admin":
            assert _stylesheet(page) == new_name, page

    clean = site["tmp"] / "clean"
    build_site(project, clean, TODAY, use_cache=False, host=host)
    assert tree(output) == tree(clean)


def _stylesheet(page) -> str:
    [href] = re.findall(r'<link rel="stylesheet" href="([^"]+/site\.[^"]+)">', page.read_text(encoding="utf-8"))
    return href
