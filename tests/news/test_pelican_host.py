"""Pelican hosts the build: ``wijknet build`` reaches it through an entry point, the
plugin sets the Pelican settings it needs, and ``pelicanconf.py`` holds only what a site
owner may change."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib.metadata import entry_points

from news_support import REPO, make_project, news_article

OWNER_SETTINGS = {
    "SITENAME", "SITEURL", "PATH", "TIMEZONE", "DEFAULT_LANG", "THEME", "PLUGINS",
    "WIJKNET_ROOT", "WIJKNET_NODE_MODULES", "DEFAULT_PAGINATION",
}  # fmt: skip


def assigned_names(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets if isinstance(target, ast.Name)}


def test_pelicanconf_holds_only_what_a_site_owner_may_change():
    names = {name for name in assigned_names(REPO / "pelicanconf.py") if name.isupper() and not name.startswith("_")}
    assert names <= OWNER_SETTINGS, names - OWNER_SETTINGS
    assert {name for name in assigned_names(REPO / "publishconf.py") if name.isupper() and not name.startswith("_")} == {"DELETE_OUTPUT_DIRECTORY"}


def test_the_plugin_sets_the_settings_it_needs():
    from pelican.settings import read_settings

    from wijknet_pelican.settings import apply

    settings = read_settings(str(REPO / "publishconf.py"))
    apply(settings)
    assert settings["ARTICLE_PATHS"] == ["nieuws"] and settings["PAGE_PATHS"] == []
    assert settings["DELETE_OUTPUT_DIRECTORY"] is False and settings["WIJKNET_CLEAN_BUILD"] is True
    assert settings["FEED_ATOM"] == "nieuws/atom.xml" and settings["TAG_SAVE_AS"] == ""


def test_wijknet_build_finds_pelican_through_its_entry_point():
    (point,) = [p for p in entry_points(group="wijknet.hosts") if p.name == "pelican"]
    from wijknet_pelican.host import build

    assert point.load() is build


def test_wijknet_build_runs_pelican_in_process(tmp_path):
    project = make_project(tmp_path / "site", {"buurtteam.md": news_article(1, Title="Nieuw buurtteam in Noord")})
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WIJKNET_CACHE_DIR": str(tmp_path / "cache")}
    output = tmp_path / "output"
    command = [sys.executable, "-m", "wijknet.cli", "build", "--root", str(project.root), "--taxonomy", str(REPO / "taxonomy"), "--output", str(output), "--date", "2026-11-23"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Nieuw buurtteam in Noord" in (output / "nieuws" / "buurtteam" / "index.html").read_text(encoding="utf-8")
    assert (output / "nieuws" / "atom.xml").is_file()
