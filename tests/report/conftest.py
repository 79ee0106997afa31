"""A small content repository with a known git history, for the report, routing and the
Cijfers page.

Build date ("today") is 2027-03-15. Commits (committer dates fixed, Amsterdam time):

    2026-01-15  add a-oud, b-bijna                     Jan: 2 new
    2026-01-20  change a-oud                           (new in Jan, so not "changed")
    2026-02-03  add c-prikbord, d-activiteit           Feb: 2 new
    (March: nothing)
    2026-04-10  change b-bijna, add e-vraag            Apr: 1 new, 1 changed
    2026-04-11  change b-bijna again                   (still 1 changed entry)
    2026-05-02  add f-gestopt, g-stad, h-weg, notes.txt  May: 3 new (the .txt is ignored)
    2026-06-01  delete h-weg, change c-prikbord        Jun: 1 changed, 1 removed
    2027-04-01  change g-stad                          after "today": left out
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from testkit import make_site
from testkit.gitrepo import commit_all

TODAY = dt.date(2027, 3, 15)

EXPECTED_MONTHLY = [
    {"month": "2026-01", "new": 2, "changed": 0, "removed": 0},
    {"month": "2026-02", "new": 2, "changed": 0, "removed": 0},
    {"month": "2026-03", "new": 0, "changed": 0, "removed": 0},
    {"month": "2026-04", "new": 1, "changed": 1, "removed": 0},
    {"month": "2026-05", "new": 3, "changed": 0, "removed": 0},
    {"month": "2026-06", "new": 0, "changed": 1, "removed": 1},
]

SITE_YAML = """\
sitenaam: Wijknet Test
stad: Amsterdam
url: https://test.example
tijdzone: Europe/Amsterdam
begrenzing: {min_lat: 52.277, max_lat: 52.432, min_lon: 4.728, max_lon: 5.108}
repository: voorbeeld/wijknet-test
branch: main
"""


def entry(title: str, kind: str, themes: str, areas: str, checked: str, extra: str = "", body: str = "") -> str:
    contact = "" if kind == "voorziening" else "contact:\n  email: info@voorbeeld.example\n"
    return (
        f"---\ntitel: {title}\nsoort: {kind}\n"
        f"samenvatting: Een korte samenvatting van {title} voor de test.\n"
        f"themas: {themes}\nwerkgebied: {areas}\n{contact}{extra}gecontroleerd: {checked}\n---\n{body}"
    )


ENTRIES = {
    # checked 2026-01-10: due 2027-01-10, before today -> not checked for 12 months
    "a-oud": entry("Oud <b>initiatief</b> [klik](https://kwaad.example) @iemand", "initiatief",
                   "[ontmoeting, taal]", "[dapperbuurt]", "2026-01-10"),
    # due 2027-04-01: within a month
    "b-bijna": entry("Bijna aan de beurt", "voorziening", "[geld]", "[oud-west-de-baarsjes]", "2026-04-01"),
    # on the prikbord until 2027-03-20: within 14 days
    "c-prikbord": entry("Op het prikbord", "initiatief", "[ontmoeting]", "[dapperbuurt, bijlmer-centrum]",
                        "2027-01-01", extra="uitgelicht:\n  tot: 2027-03-20\n"),
    # ended on 2027-02-01
    "d-activiteit": entry("Afgelopen activiteit", "activiteit", "[cultuur]", "[bijlmer-centrum]", "2027-01-05",
                          extra="wanneer:\n  start: 2027-02-01 19:30\n"),
    # a question checked 2026-10-01 expires after 90 days: 2026-12-30
    "e-vraag": entry("Verlopen vraag", "vraag", "[vrijwilligerswerk]", "[oud-west-de-baarsjes]", "2026-10-01"),
    # gestopt: archived, only counted as stopped
    "f-gestopt": entry("Gestopt initiatief", "initiatief", "[geld]", "[dapperbuurt]", "2020-01-01",
                       extra="status: gestopt\n"),
    # city-wide and paused
    "g-stad": entry("Voor de hele stad", "voorziening", "[geld, taal]", "[amsterdam]", "2027-02-01",
                    extra="status: gepauzeerd\n"),
}


def _write(repo: Path, slug: str, text: str) -> None:
    (repo / "content" / "initiatieven" / f"{slug}.md").write_text(text, encoding="utf-8")


def _commit(repo: Path, message: str, date: str) -> None:
    commit_all(repo, message, date=date)


def make_project(root: Path, moderators: dict[str, list[str]] | None = None) -> Path:
    """A project folder (site.yaml, taxonomy/, content/) without git, with every entry."""
    make_site(root, settings=SITE_YAML, entries=ENTRIES)
    if moderators:
        areas_file = root / "taxonomy" / "gebieden.yaml"
        areas = yaml.safe_load(areas_file.read_text(encoding="utf-8"))
        for area in areas:
            if area["id"] in moderators:
                area["moderatoren"] = moderators[area["id"]]
        areas_file.write_text(yaml.safe_dump(areas, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def make_history_repo(root: Path) -> Path:
    """The project above, built up commit by commit with the dates in the module docstring."""
    make_site(root, settings=SITE_YAML, commit="Site en taxonomie", date="2025-12-01T10:00:00+01:00")

    _write(root, "a-oud", ENTRIES["a-oud"].replace("Een korte", "Eerst een korte"))
    _write(root, "b-bijna", ENTRIES["b-bijna"].replace("Een korte", "Eerst een korte"))
    _commit(root, "a en b", "2026-01-15T12:00:00+01:00")
    _write(root, "a-oud", ENTRIES["a-oud"])
    _commit(root, "a gewijzigd", "2026-01-20T12:00:00+01:00")
    _write(root, "c-prikbord", ENTRIES["c-prikbord"].replace("Een korte", "Eerst een korte"))
    _write(root, "d-activiteit", ENTRIES["d-activiteit"])
    _commit(root, "c en d", "2026-02-03T23:30:00+01:00")
    _write(root, "b-bijna", ENTRIES["b-bijna"].replace("Een korte", "Daarna een korte"))
    _write(root, "e-vraag", ENTRIES["e-vraag"])
    _commit(root, "b gewijzigd, e nieuw", "2026-04-10T09:00:00+02:00")
    _write(root, "b-bijna", ENTRIES["b-bijna"])
    _commit(root, "b weer gewijzigd", "2026-04-11T09:00:00+02:00")
    _write(root, "f-gestopt", ENTRIES["f-gestopt"])
    _write(root, "g-stad", ENTRIES["g-stad"].replace("Een korte", "Eerst een korte"))
    _write(root, "h-weg", entry("Wordt verwijderd", "initiatief", "[geld]", "[dapperbuurt]", "2026-05-01"))
    (root / "content" / "initiatieven" / "notes.txt").write_text("geen bericht\n", encoding="utf-8")
    _commit(root, "f, g, h", "2026-05-02T09:00:00+02:00")
    (root / "content" / "initiatieven" / "h-weg.md").unlink()
    _write(root, "c-prikbord", ENTRIES["c-prikbord"])
    _commit(root, "h weg, c gewijzigd", "2026-06-01T09:00:00+02:00")
    _write(root, "g-stad", ENTRIES["g-stad"])
    _commit(root, "g gewijzigd", "2027-04-01T09:00:00+02:00")
    return root


@pytest.fixture(scope="session")
def history_repo(tmp_path_factory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("historie"))


@pytest.fixture(scope="session")
def plain_project(tmp_path_factory) -> Path:
    """The same entries in a folder that is not a git repository."""
    return make_project(tmp_path_factory.mktemp("zonder-git"))
