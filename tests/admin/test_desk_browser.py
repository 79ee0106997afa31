"""The moderators' desk in real Chromium, against the local back end.

``wijknet serve --admin`` (what ``make admin`` runs) on a git copy of the sample content in
a temporary folder: the site, decap-server on 127.0.0.1, and a rebuild after every save.
Decap CMS edits the copy's files; the tests read them on disk, run ``wijknet validate``
and look at the rebuilt site.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from testkit import REPO, TEST_DATE, git, make_site
from testkit.serving import free_port

from wijknet.admin.local_backend import answers
from wijknet.project import Project

pytestmark = pytest.mark.browser

ENTRIES = "initiatieven"
CSP_WATCH = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@dataclass
class Desk:
    root: Path
    url: str
    backend: str
    log: Path

    @property
    def entries(self) -> Path:
        return self.root / "content" / "initiatieven"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _wait_for(check, what: str, timeout: float = 120.0, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
    pytest.fail(f"waited {timeout:.0f} s for {what}\n{tail}")


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """``wijknet serve --admin`` on a git copy of the sample content; stopped (with its
    decap-server) at the end."""
    base = tmp_path_factory.mktemp("desk")
    root = make_site(base / "site", content=REPO / "content", commit="Voorbeeldinhoud")
    site_port, backend_port = free_port(), free_port()
    log = base / "serve.log"
    environ = {key: value for key, value in os.environ.items() if key not in ("SUBMISSIONS_URL", "WIJKNET_LOCAL_BACKEND")}
    environ.update(WIJKNET_CACHE_DIR=str(base / "cache"), WIJKNET_TODAY=TEST_DATE.isoformat())
    command = [
        str(Path(sys.executable).parent / "wijknet"), "serve", "--admin", "--admin-port", str(backend_port),
        "--port", str(site_port), "--root", str(root), "--output", str(base / "output"), "--date", TEST_DATE.isoformat(),
    ]  # fmt: skip
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=root, env=environ, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{site_port}"
    backend = f"http://127.0.0.1:{backend_port}/api/v1"
    try:
        _wait_for(lambda: _get(f"{url}/admin/")[0] == 200, "the site with admin/", log=log)
        assert answers(backend), "decap-server answers on 127.0.0.1"
        yield Desk(root, url, backend, log)
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert not answers(backend, timeout=2), "stopping wijknet serve stops decap-server"


@dataclass
class Session:
    page: object
    requests: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")


@pytest.fixture
def session(browser, desk):
    """A page in a fresh browser (the build date on its clock) that records every request."""
    context = browser.new_context(today=TEST_DATE, viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    found = Session(page)
    context.on("request", lambda request: found.requests.append(request.url))
    yield found
    context.close()


def _open(session: Session, desk: Desk, route: str = f"/collections/{ENTRIES}"):
    page = session.page
    page.goto(f"{desk.url}/admin/#{route}")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_function("route => location.hash.startsWith('#' + route)", arg=route.split("?")[0])
    return page


def _field(page, label: str):
    """A form field by its label (Decap adds " (optioneel)" to optional ones)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(optioneel\))?$", re.I))


def _choose(page, label: str, option: str) -> None:
    _field(page, label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def _publish(page) -> None:
    page.get_by_role("button", name="Publiceer", exact=True).click()
    page.get_by_role("menuitem", name="Publiceer nu").click()


def _stays_local(session: Session) -> None:
    outside = sorted({url for url in session.requests if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:")})
    assert outside == [], "no request leaves 127.0.0.1"
    assert session.violations() == [], "the desk's CSP allows what Decap does"


def _validate(desk: Desk) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "wijknet"), "validate", "--root", str(desk.root), "--date", TEST_DATE.isoformat()],
        capture_output=True, text=True, cwd=desk.root,
    )  # fmt: skip


def _changed(desk: Desk) -> list[str]:
    return git(desk.root, "status", "--porcelain").splitlines()


def _saved(path: Path, unlike: str | None = None) -> str | None:
    """The file's text once decap-server has written it: it creates the file, then writes
    it (not atomically), so a read in between sees an empty or partial file. The text counts
    when two reads 0.3 s apart agree, it is not empty, and it differs from ``unlike``."""
    try:
        first = path.read_text(encoding="utf-8")
        time.sleep(0.3)
        second = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return second if second and first == second and second != unlike else None


def _diff_lines(desk: Desk, path: str) -> list[str]:
    diff = git(desk.root, "diff", "--unified=0", "--", path)
    return [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_the_desk_opens_and_lists_the_sample_entries_oldest_check_first(session, desk):
    page = _open(session, desk)
    catalog = Project.at(desk.root).load(TEST_DATE).catalog
    oldest = sorted(catalog.entries, key=lambda entry: (entry.checked, entry.title))[:5]
    cards = page.locator(f"a[href*='/collections/{ENTRIES}/entries/']")
    cards.first.wait_for()
    shown = [text.split(" · ")[0] for text in cards.all_inner_texts()[:5]]
    assert shown == [entry.title for entry in oldest]
    assert page.get_by_role("link", name=re.compile("^Nieuws$")).count() == 1  # the second collection
    _stays_local(session)


def test_filter_op_het_prikbord_and_group_by_stadsdeel(session, desk):
    page = _open(session, desk)
    page.locator(f"a[href*='/collections/{ENTRIES}/entries/']").first.wait_for()
    page.get_by_role("button", name="Filteren op").click()
    page.get_by_role("menuitem", name="Op het prikbord").click()
    page.keyboard.press("Escape")
    catalog = Project.at(desk.root).load(TEST_DATE).catalog
    featured = {entry.title for entry in catalog.entries if entry.featured and entry.status != "gestopt" and TEST_DATE <= entry.featured.until}
    assert featured
    cards = page.locator(f"a[href*='/collections/{ENTRIES}/entries/']")
    _wait_for(lambda: cards.count() == len(featured), "only the entries on the prikbord")
    assert {text.split(" · ")[0] for text in cards.all_inner_texts()} == featured
    page.get_by_role("button", name="Groepeer op").click()
    page.get_by_role("menuitem", name="Stadsdeel").click()
    page.keyboard.press("Escape")
    oost = page.locator("div", has=page.get_by_role("heading", name="Stadsdeel Oost", exact=True)).last
    oost.wait_for()
    assert "Buurtbuik Dapperbuurt" in oost.inner_text()  # tagged with the Dapperbuurt, a wijk in Oost
    _stays_local(session)


def test_changing_the_summary_changes_that_line_only_and_stays_valid(session, desk):
    slug = "buurtbuik-dapperbuurt"
    path = f"content/initiatieven/{slug}.md"
    before = (desk.entries / f"{slug}.md").read_text(encoding="utf-8")
    page = _open(session, desk, f"/collections/{ENTRIES}/entries/{slug}")
    summary = _field(page, "Samenvatting")
    summary.fill("Elke donderdag samen eten in de Dapperbuurt: gratis en voor iedereen.")
    _publish(page)
    _wait_for(lambda: _saved(desk.entries / f"{slug}.md", unlike=before), "the saved file")
    assert _diff_lines(desk, path) == [
        next(f"-{line}" for line in before.splitlines() if line.startswith("samenvatting:")),
        '+samenvatting: "Elke donderdag samen eten in de Dapperbuurt: gratis en voor iedereen."',
    ]
    done = _validate(desk)
    assert done.returncode == 0, done.stdout
    _stays_local(session)


def test_a_wrong_postcode_is_refused_in_the_form_before_saving(session, desk):
    slug = "taalcafe-noord"
    before = (desk.entries / f"{slug}.md").read_text(encoding="utf-8")
    page = _open(session, desk, f"/collections/{ENTRIES}/entries/{slug}")
    postcode = _field(page, "Postcode")
    postcode.fill("")
    postcode.fill("1094 SA")
    _publish(page)
    page.get_by_text("Postcode komt niet overeen met het patroon: vier cijfers en twee letters, zoals 1094 JN.").wait_for()
    page.wait_for_timeout(1000)
    assert (desk.entries / f"{slug}.md").read_text(encoding="utf-8") == before
    _stays_local(session)


def test_an_activity_without_a_date_is_refused_with_the_rule_tables_message(session, desk):
    page = _open(session, desk, f"/collections/{ENTRIES}/new")
    _field(page, "Titel").fill("Spelletjesmiddag zonder datum")
    _choose(page, "Soort", "Activiteit")
    _field(page, "Samenvatting").fill("Samen spelletjes doen in het buurthuis, voor jong en oud.")
    _choose(page, "Thema's", "Ontmoeting")
    _choose(page, "Werkgebied", "Dapperbuurt (wijk, Oost)")
    _field(page, "E-mailadres").fill("spel@buurt.example")
    _field(page, "Gecontroleerd op").fill(TEST_DATE.isoformat())
    _publish(page)
    page.get_by_text(re.compile("Een activiteit heeft een datum nodig")).wait_for()
    assert not (desk.entries / "spelletjesmiddag-zonder-datum.md").exists()
    _stays_local(session)


def test_creating_an_activity_with_every_required_field(session, desk):
    slug = "kerstmarkt-in-de-dapperbuurt"
    page = _open(session, desk, f"/collections/{ENTRIES}/new")
    _field(page, "Titel").fill("Kerstmarkt in de Dapperbuurt")
    _choose(page, "Soort", "Activiteit")
    _field(page, "Samenvatting").fill("Een kleine kerstmarkt met spullen van buren, warme chocolademelk en muziek.")
    _choose(page, "Thema's", "Ontmoeting")
    _choose(page, "Werkgebied", "Dapperbuurt (wijk, Oost)")
    _field(page, "E-mailadres").fill("markt@buurt.example")
    _field(page, "Begin").fill("2026-12-19T14:00")
    _field(page, "Gecontroleerd op").fill(TEST_DATE.isoformat())
    _publish(page)
    path = desk.entries / f"{slug}.md"
    _wait_for(lambda: _saved(path), "the new file")
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "titel: Kerstmarkt in de Dapperbuurt\n"
        "soort: activiteit\n"
        "samenvatting: Een kleine kerstmarkt met spullen van buren, warme chocolademelk en muziek.\n"
        "themas: [ontmoeting]\n"
        "werkgebied: [dapperbuurt]\n"
        "contact:\n"
        "  email: markt@buurt.example\n"
        "wanneer:\n"
        "  start: 2026-12-19 14:00\n"
        f"gecontroleerd: {TEST_DATE.isoformat()}\n"
        "---\n"
    )
    done = _validate(desk)
    assert done.returncode == 0, done.stdout
    # the rebuild (wijknet serve watches the content) has its page and lists it on the agenda
    _wait_for(lambda: _get(f"{desk.url}/initiatieven/{slug}/")[0] == 200, "the new entry's page", log=desk.log)
    status, agenda = _get(f"{desk.url}/agenda/")
    assert status == 200 and f"/initiatieven/{slug}/" in agenda
    _stays_local(session)


def test_checked_today_and_on_the_prikbord_until_a_date_reaches_the_home_page(session, desk):
    slug = "weggeefwinkel-bloemenbuurt"
    path = f"content/initiatieven/{slug}.md"
    before = (desk.root / path).read_text(encoding="utf-8")
    assert f"/initiatieven/{slug}/" not in _prikbord(desk)
    page = _open(session, desk, f"/collections/{ENTRIES}/entries/{slug}")
    checked = _field(page, "Gecontroleerd op")
    checked.locator("xpath=..").get_by_test_id("now-button").click()  # Decap's "Nu": today
    assert checked.input_value() == TEST_DATE.isoformat()
    _field(page, "Op het prikbord tot en met").fill("2027-01-31")
    _publish(page)
    _wait_for(lambda: _saved(desk.root / path, unlike=before), "the saved file")
    removed = [line for line in _diff_lines(desk, path) if line.startswith("-")]
    assert len(removed) == 1 and removed[0].startswith("-gecontroleerd: ")
    assert [line for line in _diff_lines(desk, path) if line.startswith("+")] == [
        "+uitgelicht:", "+  tot: 2027-01-31", f"+gecontroleerd: {TEST_DATE.isoformat()}",
    ]  # fmt: skip
    _wait_for(lambda: f"/initiatieven/{slug}/" in _prikbord(desk), "the entry on the prikbord of the rebuilt home page", log=desk.log)
    _stays_local(session)


def _prikbord(desk: Desk) -> str:
    status, home = _get(f"{desk.url}/")
    if status != 200:
        return ""
    board = BeautifulSoup(home, "html.parser").select_one("#prikbord")
    return " ".join(link["href"] for link in board.select("a[href]")) if board else ""
