"""``wijknet build`` stops on a broken taxonomy or ``site.yaml``, says why, and writes nothing."""

from __future__ import annotations

from testkit import REPO, TEST_DATE

from wijknet.cli import main

from .conftest import TAXONOMY_PROBLEM


def test_build_with_broken_taxonomy_prints_its_problems(tmp_path, capsys, broken_taxonomy):
    output = tmp_path / "output"
    args = ["build", "--root", str(REPO), "--taxonomy", str(broken_taxonomy), "--output", str(output)]
    assert main([*args, "--date", TEST_DATE.isoformat()]) == 1
    assert capsys.readouterr().out.startswith(TAXONOMY_PROBLEM)
    assert not output.exists()


def test_build_with_broken_settings_prints_its_problems(tmp_path, capsys):
    settings = tmp_path / "site.yaml"
    settings.write_text("- geen mapping\n", encoding="utf-8")
    assert main(["build", "--settings", str(settings), "--output", str(tmp_path / "output")]) == 1
    assert capsys.readouterr().out == f"{settings}:1: -: Ongeldige waarde: expected a mapping.\n"
    assert not (tmp_path / "output").exists()
