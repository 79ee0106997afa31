"""``wijknet validate`` as a user and a CI job run it: exit codes, output formats, languages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import REPO

from wijknet.cli import main

from .conftest import TODAY, entry_data, entry_text

DATE = ["--date", TODAY.isoformat()]


def wijknet(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wijknet.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with one valid and one invalid entry."""
    folder = tmp_path / "content" / "initiatieven"
    folder.mkdir(parents=True)
    (folder / "buurtbuik-oost.md").write_text(entry_text(entry_data()), encoding="utf-8")
    (folder / "kapot.md").write_text(entry_text(entry_data(themas=["eenzaam"], stauts="x")), encoding="utf-8")
    return tmp_path / "content"


def test_real_content_is_valid():
    completed = wijknet("validate", *DATE)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.startswith("Alles in orde: ")
    count = len(list((REPO / "content" / "initiatieven").rglob("*.md")))
    assert completed.stdout.strip() == f"Alles in orde: {count} bestanden gecontroleerd."


def test_problems_exit_1_text_format(content, capsys):
    assert main(["validate", "--content", str(content), *DATE]) == 1
    out = capsys.readouterr().out.splitlines()
    path = str((content / "initiatieven" / "kapot.md").resolve())
    assert out[0] == (
        f'{path}:6: themas: "eenzaam" is geen thema. Bedoel je "eenzaamheid"? '
        "Kijk in taxonomy/themas.yaml voor de geldige namen."
    )
    assert out[1] == f"{path}:33: stauts: 'stauts' is geen bekend veld. Bedoel je 'status'?"
    assert out[2] == "2 problemen in 1 van 2 bestanden."


def test_json_format(content, capsys):
    assert main(["validate", "--content", str(content), "--format", "json", *DATE]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert [sorted(p) for p in problems] == [["file", "key", "line", "message"]] * 2
    assert [(p["line"], p["key"]) for p in problems] == [(6, "themas"), (33, "stauts")]
    assert all(p["file"].endswith("kapot.md") for p in problems)


def test_json_format_when_valid(tmp_path, capsys):
    folder = tmp_path / "initiatieven"
    folder.mkdir()
    (folder / "buurtbuik-oost.md").write_text(entry_text(entry_data()), encoding="utf-8")
    assert main(["validate", "--content", str(tmp_path), "--format", "json", *DATE]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_github_format(content, capsys):
    assert main(["validate", "--content", str(content), "--format", "github", *DATE]) == 1
    lines = capsys.readouterr().out.splitlines()
    path = str((content / "initiatieven" / "kapot.md").resolve())
    assert lines == [
        f"::error file={path},line=6,title=themas::\"eenzaam\" is geen thema. Bedoel je \"eenzaamheid\"? "
        "Kijk in taxonomy/themas.yaml voor de geldige namen.",
        f"::error file={path},line=33,title=stauts::'stauts' is geen bekend veld. Bedoel je 'status'?",
    ]


def test_english(content, capsys):
    assert main(["validate", "--content", str(content), "--lang", "en", *DATE]) == 1
    out = capsys.readouterr().out
    assert "\"eenzaam\" is not a theme. Did you mean \"eenzaamheid\"? See taxonomy/themas.yaml for the valid ids." in out
    assert "'stauts' is not a known field. Did you mean 'status'?" in out
    assert out.splitlines()[-1] == "2 problems in 1 of 2 files."


def test_date_decides_what_is_in_the_future(content, capsys):
    (content / "initiatieven" / "kapot.md").unlink()
    assert main(["validate", "--content", str(content), "--date", "2026-11-01"]) == 0
    assert main(["validate", "--content", str(content), "--date", "2026-10-31"]) == 1
    assert "ligt in de toekomst (vandaag is 2026-10-31)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [["--format", "xml"], ["--date", "2026-13-01"], ["--date", "morgen"], ["--lang", "fr"], ["--onbekend"]],
    ids=["format-xml", "date-month-13", "date-word", "lang-fr", "unknown-option"],
)
def test_bad_usage_exits_2(args):
    completed = wijknet("validate", *args)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "usage:" in completed.stderr


def test_no_command_exits_2():
    assert wijknet().returncode == 2


def test_only_named_files(content, capsys):
    good = content / "initiatieven" / "buurtbuik-oost.md"
    assert main(["validate", str(good), *DATE]) == 0
    assert capsys.readouterr().out.strip() == "Alles in orde: 1 bestanden gecontroleerd."


def test_broken_taxonomy_is_reported(tmp_path, content, capsys):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(REPO / "taxonomy", taxonomy)
    themes = taxonomy / "themas.yaml"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n- id: geld\n  label: Dubbel\n", encoding="utf-8")
    (taxonomy / "doelgroepen.yaml").write_text("- id: Ouderen!\n  label: Ouderen\n", encoding="utf-8")
    soorten = taxonomy / "soorten.yaml"
    soorten.write_text("- id: initiatief\n  label: Initiatief\n  kleur: rood\n", encoding="utf-8")
    assert main(["validate", "--content", str(content), "--taxonomy", str(taxonomy), "--format", "json", *DATE]) == 1
    problems = json.loads(capsys.readouterr().out)
    by_file = {(p["file"], p["key"]): p for p in problems}
    assert by_file[("taxonomy/themas.yaml", "id")]["message"] == "Het id 'geld' staat er twee keer in."
    assert by_file[("taxonomy/themas.yaml", "id")]["line"] == themes.read_text().count("\n") - 1
    assert ("taxonomy/doelgroepen.yaml", "id") in by_file
    assert by_file[("taxonomy/doelgroepen.yaml", "id")]["line"] == 1
    assert by_file[("taxonomy/soorten.yaml", "kleur")]["line"] == 3


def test_missing_area_parent_is_reported(tmp_path, content, capsys):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(REPO / "taxonomy", taxonomy)
    areas = taxonomy / "gebieden.yaml"
    areas.write_text(areas.read_text(encoding="utf-8").replace("ouder: oost\n", "ouder: oostt\n", 1), encoding="utf-8")
    assert main(["validate", "--content", str(content), "--taxonomy", str(taxonomy), *DATE]) == 1
    assert "heeft een onbekende of ongeldige ouder 'oostt'" in capsys.readouterr().out


def test_unreadable_taxonomy_yaml_is_reported(tmp_path, content, capsys):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(REPO / "taxonomy", taxonomy)
    (taxonomy / "soorten.yaml").write_text("- id: a\n  label: &x b\n", encoding="utf-8")
    assert main(["validate", "--content", str(content), "--taxonomy", str(taxonomy), *DATE]) == 1
    out = capsys.readouterr().out
    assert out.startswith("taxonomy/soorten.yaml:2: -: Ankers (&naam) zijn niet toegestaan.")
