"""``wijknet build`` and plain Pelican: exit codes, untouched output on invalid content,
byte-identical rebuilds, a second city, and prikbord/agenda behaviour around the build date."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from site_support import BUILD_DATE, amsterdam_project
from testkit import FIXTURES, REPO, make_content, tree

from wijknet.build import build_site
from wijknet.engine.model import BuildContext
from wijknet.site.pages import agenda_days, home_page
from wijknet.engine.urls import Urls

WIJKNET = [sys.executable, "-m", "wijknet.cli"]


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([*WIJKNET, *args], cwd=cwd, capture_output=True, text=True)


def test_two_builds_give_identical_bytes(amsterdam_site, tmp_path):
    again = tmp_path / "again"
    build_site(amsterdam_project(), again, BUILD_DATE)
    assert tree(again) == tree(amsterdam_site.output)


@pytest.fixture
def broken_content(tmp_path) -> Path:
    content = make_content(tmp_path, content=FIXTURES / "amsterdam" / "content")
    folder = content / "initiatieven"
    text = (folder / "taalcafe-banne.md").read_text()
    (folder / "taalcafe-banne.md").write_text(text.replace("themas: [taal, ontmoeting]", "themas: [eenzaam]"))
    text = (folder / "maatje-gezocht-oost.md").read_text()
    (folder / "maatje-gezocht-oost.md").write_text(text.replace("  email: buurtteam@oost.example\n", "  email: geen-adres\n"))
    return content


def test_invalid_content_exits_1_lists_every_problem_and_leaves_output_untouched(broken_content, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("old site")
    result = run_cli(
        "build", "--root", str(FIXTURES / "amsterdam"), "--content", str(broken_content),
        "--taxonomy", str(REPO / "taxonomy"), "--date", "2026-11-23", "--output", str(output),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if re.match(r"^\S+\.md:\d+: ", line)]
    assert any("taalcafe-banne.md:" in line and ": themas: " in line and "eenzaamheid" in line for line in lines), lines
    assert any("maatje-gezocht-oost.md:" in line and ": contact.email: " in line for line in lines), lines
    assert tree(output) == {"index.html": hashlib.sha256(b"old site").hexdigest()}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_plain_pelican_refuses_invalid_content_before_touching_output(broken_content, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "keep.txt").write_text("keep")
    env = dict(os.environ, WIJKNET_CONTENT=str(broken_content), WIJKNET_DATE="2026-11-23",
               WIJKNET_SETTINGS=str(FIXTURES / "amsterdam" / "site.yaml"), COLUMNS="300")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(broken_content), "-s", str(REPO / "publishconf.py"), "-o", str(output)],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "taalcafe-banne.md" in result.stdout + result.stderr
    assert "maatje-gezocht-oost.md" in result.stdout + result.stderr
    assert tree(output) == {"keep.txt": hashlib.sha256(b"keep").hexdigest()}  # publishconf deletes output: not here


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("build", "--date", "23-11-2026").returncode == 2
    assert run_cli("build", "--no-such-option").returncode == 2


def test_cli_build_of_the_second_city(tmp_path):
    output = tmp_path / "site"
    result = run_cli("build", "--root", str(FIXTURES / "zaanstad"), "--date", "2026-11-23", "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "index.html").is_file()


def test_second_city_builds_a_correct_site(zaanstad_site):
    home = zaanstad_site.html("/buurt/")
    assert home.select_one("h1").get_text(strip=True) == "Buurtwijzer Zaanstad"
    assert [a["href"] for a in home.select("#prikbord a")] == ["/buurt/initiatieven/molenwandeling-rosmolenwijk/"]
    stadsdelen = [a.get_text(" ", strip=True) for a in home.select("#stadsdeel-titel + ul a")]
    assert stadsdelen == ["Zaandam (2)", "Wormerveer (1)"]
    city = zaanstad_site.html("/buurt/gebied/zaanstad/")
    assert len(city.select("#berichten ~ ul.cards li")) == 3
    gebied = zaanstad_site.html("/buurt/gebied/zaandam-oost/")
    assert [a["href"] for a in gebied.select("#berichten ~ ul.cards .card-title a")] == [
        "/buurt/initiatieven/molenwandeling-rosmolenwijk/"
    ]
    entry = zaanstad_site.html("/buurt/initiatieven/taalhuis-zaandam/")
    assert "1506 DA Zaanstad" in entry.select_one("address").get_text(" ", strip=True)
    assert entry.select_one("link[rel=canonical]")["href"] == (
        "https://buurtwijzer-zaanstad.example/buurt/initiatieven/taalhuis-zaandam/"
    )
    for url in zaanstad_site.page_urls():
        text = zaanstad_site.path(url).read_text()
        assert "Amsterdam" not in text, url
        assert 'href="/' not in text.replace('href="/buurt/', ""), url  # every link keeps the base path


def test_no_city_names_in_code_or_templates():
    """Everything city-specific comes from site.yaml and taxonomy/."""
    places = ["amsterdam", "dapperbuurt", "oost/watergraafsmeer", "nieuw-west", "zuidoost", "westpoort"]
    roots = [REPO / "wijknet" / "site", REPO / "wijknet" / "kaart", REPO / "wijknet" / "filters.py", REPO / "theme", REPO / "plugins", REPO / "wijknet" / "build.py"]
    files = [path for root in roots for path in ([root] if root.is_file() else root.rglob("*")) if path.suffix in (".py", ".html", ".css", ".js")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for place in places:
            assert place not in text, (path, place)


def _build_context(day: dt.date) -> BuildContext:
    catalog = amsterdam_project().load(day).catalog
    return BuildContext(catalog=catalog, urls=Urls(catalog.settings.site_url))


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2026, 11, 22), ["workshop-vallen-voorkomen", "buurtmaaltijd-dapperbuurt", "taalcafe-banne"]),
        (dt.date(2026, 11, 23), ["workshop-vallen-voorkomen", "buurtmaaltijd-dapperbuurt"]),
        (dt.date(2026, 11, 24), ["workshop-vallen-voorkomen"]),
    ],
)
def test_prikbord_expiry_on_before_and_after_tot(day, expected):
    """taalcafe: tot 22 Nov; buurtmaaltijd: tot 23 Nov (on the board that whole day)."""
    page = home_page(_build_context(day))
    assert [entry.slug for entry in page.context["featured"]] == expected


def test_past_activities_leave_the_agenda():
    def slugs(day):
        return [entry.slug for _, entries in agenda_days(_build_context(day)) for entry in entries]

    assert slugs(dt.date(2026, 11, 20)) == ["informatieavond-afgelopen", "koffieochtend-vandaag", "workshop-vallen-voorkomen"]
    assert slugs(dt.date(2026, 11, 21)) == ["koffieochtend-vandaag", "workshop-vallen-voorkomen"]
    assert slugs(dt.date(2026, 11, 24)) == ["workshop-vallen-voorkomen"]
    assert slugs(dt.date(2026, 12, 3)) == ["workshop-vallen-voorkomen"]  # on its day it is still upcoming
    assert slugs(dt.date(2026, 12, 4)) == []


def test_built_prikbord_follows_the_build_date(tmp_path):
    output = tmp_path / "later"
    build_site(amsterdam_project(), output, dt.date(2026, 11, 24))
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in soup.select("#prikbord a")] == ["/initiatieven/workshop-vallen-voorkomen/"]
    agenda = BeautifulSoup((output / "agenda" / "index.html").read_text(), "html.parser")
    assert "/initiatieven/koffieochtend-vandaag/" not in [a["href"] for a in agenda.select("a")]


def test_invoke_knows_the_pelican_style_tasks():
    result = subprocess.run([str(Path(sys.executable).parent / "invoke"), "--list"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("build", "serve", "livereload", "clean"):
        assert re.search(rf"^\s+{name}\b", result.stdout, re.M), name
