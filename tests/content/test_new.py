"""``wijknet new``: answers piped on stdin, invalid answers asked again, a valid file written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testkit import REPO

from wijknet.safe_yaml import load_path

from .conftest import TODAY

ANSWERS = [
    "BB",  # too short: asked again
    "Buurtmoestuin Zeeburg",
    "initiatiev",  # unknown kind: suggestion, asked again
    "initiatief",
    "kort",
    "Samen groente kweken op een braakliggend stuk grond.",
    "eenzaam, ontmoeting",
    "eenzaamheid, ontmoeting",
    "",  # doelgroepen: optional
    "daperbuurt",
    "dapperbuurt, oost",
    "Stichting Groen",
    "",  # contact: nothing at all, then asked again
    "",
    "",
    "",
    "Piet de Vries",
    "piet@@moestuin",
    "piet@moestuin.example",
    "020 12",
    "020 123 4567",
    "ftp://moestuin.example",
    "https://moestuin.example",
    "",  # locatie naam
    "Zeeburgerdijk 1",
    "1094jn",
    "Zaterdag 10.00 - 12.00 uur",
    "gratis",
    "Kom langs, ook als je *niets* van tuinieren weet.",
    "",
    "Neem laarzen mee.",
    ".",
]


def run_new(content: Path, answers: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "new", "--content", str(content), "--date", TODAY.isoformat()],
        cwd=REPO, input="\n".join(answers) + "\n", capture_output=True, text=True, timeout=60,
    )


def test_new_writes_a_valid_entry(tmp_path, context):
    completed = run_new(tmp_path, ANSWERS)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    out = completed.stdout
    assert "Te kort: gebruik minstens 3 tekens." in out
    assert '"initiatiev" is geen soort. Bedoel je "initiatief"?' in out
    assert '"eenzaam" is geen thema. Bedoel je "eenzaamheid"?' in out
    assert '"daperbuurt" is geen bekend gebied. Bedoel je "dapperbuurt"' in out
    assert "Geef minstens een e-mailadres, telefoonnummer of website." in out
    assert "'piet@@moestuin' is geen geldig e-mailadres." in out
    assert "'020 12' is geen geldig telefoonnummer." in out
    assert "'ftp://moestuin.example' is geen geldig webadres." in out
    path = tmp_path / "buurtmoestuin-zeeburg.md"
    assert f"Geschreven: {path}" in out
    loaded = load_path(path)
    assert loaded.problems == []
    assert loaded.data["themas"] == ["eenzaamheid", "ontmoeting"]
    assert loaded.data["werkgebied"] == ["dapperbuurt", "oost"]
    assert loaded.data["contact"] == {
        "naam": "Piet de Vries",
        "email": "piet@moestuin.example",
        "telefoon": "+31 20 123 4567",
        "website": "https://moestuin.example",
    }
    assert loaded.data["locatie"] == {"adres": "Zeeburgerdijk 1", "postcode": "1094 JN"}
    assert loaded.data["gecontroleerd"] == TODAY.isoformat()
    assert loaded.body == "Kom langs, ook als je *niets* van tuinieren weet.\n\nNeem laarzen mee."
    # and the whole folder passes the validator
    from wijknet.cli import main

    assert main(["validate", "--content", str(tmp_path), "--date", TODAY.isoformat()]) == 0


def test_new_never_overwrites(tmp_path):
    existing = tmp_path / "buurtmoestuin-zeeburg.md"
    existing.write_text("van iemand anders\n", encoding="utf-8")
    completed = run_new(tmp_path, ANSWERS)
    assert completed.returncode == 0
    assert existing.read_text(encoding="utf-8") == "van iemand anders\n"
    assert (tmp_path / "buurtmoestuin-zeeburg-2.md").is_file()


def test_new_activity_asks_for_dates(tmp_path):
    answers = [
        "Kerstmarkt in de Dapperbuurt", "activiteit", "Een kleine kerstmarkt met spullen van buurtbewoners.",
        "ontmoeting", "iedereen", "dapperbuurt", "", "", "kerst@markt.example", "", "", "", "", "",
        "morgen", "2026-12-19 11:00", "2026-12-19 10:00", "2026-12-19 16:00", "", "gratis", ".",
    ]
    completed = run_new(tmp_path, answers)
    assert completed.returncode == 0, completed.stdout
    assert "'morgen' is geen datum of tijd." in completed.stdout
    assert "Het einde ligt voor het begin." in completed.stdout
    loaded = load_path(tmp_path / "kerstmarkt-in-de-dapperbuurt.md")
    assert loaded.data["wanneer"] == {"start": "2026-12-19 11:00", "einde": "2026-12-19 16:00"}


def test_new_stops_cleanly_at_end_of_input(tmp_path):
    completed = run_new(tmp_path, ["Buurtmoestuin Zeeburg", "initiatief"])
    assert completed.returncode == 1
    assert "er is geen bestand geschreven" in completed.stdout
    assert "Traceback" not in completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_free_slug_looks_in_subfolders(tmp_path):
    from wijknet.commands.new import _free_slug

    (tmp_path / "oost").mkdir()
    (tmp_path / "oost" / "buurtmoestuin-zeeburg.md").write_text("x\n", encoding="utf-8")
    (tmp_path / "Buurtmoestuin-Zeeburg-2.md").write_text("x\n", encoding="utf-8")
    assert _free_slug(tmp_path, "Buurtmoestuin Zeeburg") == "buurtmoestuin-zeeburg-3"
    assert _free_slug(tmp_path / "leeg", "Buurtmoestuin Zeeburg") == "buurtmoestuin-zeeburg"
