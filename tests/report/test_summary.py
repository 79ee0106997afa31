"""``wijknet pr-summary``: the Dutch job summary built from ``wijknet validate --format json``."""

from __future__ import annotations

import subprocess
import sys

from .conftest import make_project


def run(*args, cwd, input=None):
    return subprocess.run([sys.executable, "-m", "wijknet.cli", *args], capture_output=True, text=True,
                          cwd=cwd, input=input)


def test_problems_and_routing_in_the_summary(tmp_path):
    root = make_project(tmp_path / "site", {"oost": ["oost-mod"]})
    bad = root / "content" / "initiatieven" / "fout.md"
    bad.write_text(
        "---\ntitel: Fout | <script>\nsoort: initiatief\nsamenvatting: Een samenvatting die lang genoeg is.\n"
        "themas: [eenzaam]\nwerkgebied: [dapperbuurt]\ngecontroleerd: 2026-01-01\n---\n",
        encoding="utf-8",
    )
    validate = run("validate", "--date", "2027-03-15", "--format", "json", "content/initiatieven/fout.md", cwd=root)
    assert validate.returncode == 1
    (tmp_path / "problems.json").write_text(validate.stdout, encoding="utf-8")
    result = run("pr-summary", "--problems", str(tmp_path / "problems.json"), "--preview-artifact", "voorbeeld-site",
                 "content/initiatieven/fout.md", cwd=root)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("## Controle van de inhoud\n")
    assert "Er zijn **2 fouten** gevonden in 1 bestand." in text
    assert "### `content/initiatieven/fout.md`" in text
    assert 'Bedoel je "eenzaamheid"?' in text  # the fix is in the message
    assert "| 5 | themas |" in text
    assert "contact" in text
    assert "Zo los je het op" in text
    assert "| `content/initiatieven/fout.md` | initiatief | oost |" in text
    assert "Gevraagd om te beoordelen: `oost-mod`" in text
    assert "`voorbeeld-site`" in text
    assert "https://github.com/voorbeeld/wijknet-test/blob/main/CONTRIBUTING.md" in text


def test_no_problems(tmp_path):
    root = make_project(tmp_path / "site")
    result = run("pr-summary", "--problems", "-", cwd=root, input="[]\n")
    assert result.returncode == 0, result.stderr
    assert "Alles is in orde" in result.stdout
    assert "Waar hoort dit bij" not in result.stdout


def test_unreadable_problems_file(tmp_path):
    root = make_project(tmp_path / "site")
    result = run("pr-summary", "--problems", "-", cwd=root, input="{niet: json\n")
    assert result.returncode == 2
