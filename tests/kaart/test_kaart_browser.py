"""The map in real Chromium, on the repository's own content: markers and groups, the
overview's filters and their URL, zooming by clicking an area, the coloured wijken, the
keyboard, the page's Content-Security-Policy, no requests to anyone else, axe-core, the
drawing without JavaScript, the filters and table without Leaflet, and pixel checks at 320
and 1280 px (screenshots in ``<pytest basetemp>/kaart-screenshots/``)."""

from __future__ import annotations

import base64
import json
import re

import pytest
import shapely
from playwright.sync_api import expect
from kaart_support import AXE_TAGS, placed
from shapely.geometry import shape
from testkit.serving import axe_violations

pytestmark = pytest.mark.browser

WAIT = 30_000  # ms: the machines that run this are sometimes busy
COLOURS = {
    "boundary": (0x1B, 0x1B, 0x1B),
    "group": (0x0B, 0x4F, 0x8A),
    "plain": (0xFF, 0xFF, 0xFF),
    "class-3": (0x08, 0x30, 0x6B),
    "class-1": (0x6B, 0xAE, 0xD6),
    "hatch": (0xB3, 0x26, 0x1E),
    "wijk": (0xFF, 0xDD, 0x00),
    "dot": (0xA4, 0x26, 0x2C),
}


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "kaart-screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def _guarded(context):
    """A page of ``context`` that records requests outside the test server and script errors."""
    page = context.new_page()
    page.outside = []
    page.errors = []
    page.on("request", lambda r: page.outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


@pytest.fixture
def page(browser):
    # bypass_csp lets axe-core be injected; the policy itself is checked in its own test
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = _guarded(context)
    yield tab
    context.close()
    assert tab.outside == [], f"requests to third parties: {tab.outside}"
    assert tab.errors == [], tab.errors


def _check(page, name: str) -> None:
    """Tick a filter; its group starts closed, so open it first, as a visitor does."""
    box = page.get_by_role("checkbox", name=re.compile(rf"^{name}"), include_hidden=True)
    if not box.is_visible():
        box.locator("xpath=ancestor::details[1]/summary").click()
    page.get_by_role("checkbox", name=re.compile(rf"^{name}")).check()


def open_map(page, url: str, query: str = "") -> None:
    """Open kaart/ and bring the map on screen: Leaflet and the boundaries load only then."""
    page.goto(f"{url}/kaart/{query}")
    page.evaluate("document.querySelector('[data-kaart-tekening]').scrollIntoView()")  # hidden once the map is there
    page.wait_for_selector("[data-kaart-klaar]", state="attached", timeout=WAIT)


def marker_total(page) -> int:
    """Entries on the map as drawn now: the numbers of the groups plus the single markers."""
    return page.evaluate(
        """() => { let n = 0;
        document.querySelectorAll('.leaflet-marker-icon.kaart-groep').forEach(e => { n += parseInt(e.querySelector('span > span').textContent, 10); });
        return n + document.querySelectorAll('.leaflet-marker-icon.kaart-punt').length; }"""
    )


def wait_for_total(page, expected: int) -> None:
    page.wait_for_function(
        """(expected) => { let n = 0;
        document.querySelectorAll('.leaflet-marker-icon.kaart-groep').forEach(e => { n += parseInt(e.querySelector('span > span').textContent, 10); });
        return n + document.querySelectorAll('.leaflet-marker-icon.kaart-punt').length === expected; }""",
        arg=expected,
        timeout=WAIT,
    )


def view(page) -> tuple[float, float, float]:
    """(zoom, lat, lon) of the map."""
    place = page.locator("#kaart-kaart")
    lat, lon = (float(v) for v in place.get_attribute("data-kaart-midden").split(","))
    return float(place.get_attribute("data-kaart-zoom")), lat, lon


def go_to(page, area_id: str) -> None:
    """Zoom to an area with "Ga naar" and wait until the map and its groups are there."""
    zoom = view(page)[0]
    page.select_option("[data-kaart-ga-naar]", area_id)
    page.wait_for_function(f"() => parseFloat(document.querySelector('#kaart-kaart').dataset.kaartZoom) !== {zoom}", timeout=WAIT)
    page.wait_for_timeout(600)  # the groups open up with an animation


def free_spot(page, wijken: list[str]) -> tuple[str, dict]:
    """A wijk of ``wijken`` and a point of the page where a click hits that wijk itself (no
    marker, group or label on top)."""
    page.evaluate("document.querySelector('#kaart-kaart').scrollIntoView({block: 'start'})")
    found = page.evaluate(
        """(ids) => { for (const id of ids) {
          const path = document.querySelector(`#kaart-kaart path[data-gebied="${id}"]`);
          const box = path.getBoundingClientRect();
          for (let i = 1; i < 12; i++) { for (let j = 1; j < 12; j++) {
            const x = box.left + box.width * i / 12, y = box.top + box.height * j / 12;
            if (document.elementFromPoint(x, y) === path) { return [id, {x, y}]; } } } }
        return null; }""",
        wijken,
    )
    assert found, f"no free point on {wijken}"
    return found[0], found[1]


def click_a_marker(page) -> None:
    """Click a single marker that can be seen on the map (opening groups until there is one)."""
    page.evaluate("document.querySelector('#kaart-kaart').scrollIntoView({block: 'start'})")
    find = """(kind) => { const map = document.querySelector('#kaart-kaart').getBoundingClientRect();
        for (const marker of document.querySelectorAll('.leaflet-marker-icon.' + kind)) {
          const box = marker.getBoundingClientRect(); const x = box.left + box.width / 2, y = box.top + box.height / 2;
          if (x > map.left + 60 && x < map.right - 20 && y > map.top + 20 && y < Math.min(map.bottom, window.innerHeight) - 20
              && marker.contains(document.elementFromPoint(x, y))) { return {x, y}; } }
        return null; }"""
    for _ in range(6):
        spot = page.evaluate(find, "kaart-punt")
        if spot:
            page.mouse.click(spot["x"], spot["y"])
            try:  # a group animation may have replaced the marker just then: find it again
                page.wait_for_selector(".leaflet-popup", timeout=3000)
                return
            except Exception:  # noqa: BLE001 - Playwright's timeout
                continue
        group = page.evaluate(find, "kaart-groep")
        assert group, "no marker or group in sight"
        page.mouse.click(group["x"], group["y"])  # zooms in, or spreads the group out at the last zoom
        page.wait_for_timeout(800)
    raise AssertionError("no single marker in sight")


def colour_shares(browser, png: bytes) -> dict[str, float]:
    """The share of the pixels of ``png`` near each colour of :data:`COLOURS`."""
    tab = browser.new_page()
    try:
        return tab.evaluate(
            """async ([url, colours]) => {
            const image = new Image(); image.src = url; await image.decode();
            const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
            const data = context.getImageData(0, 0, image.width, image.height).data;
            const counts = {}; Object.keys(colours).forEach(k => { counts[k] = 0; });
            for (let i = 0; i < data.length; i += 4) {
              for (const [name, [r, g, b]] of Object.entries(colours)) {
                if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) { counts[name] += 1; break; }
              } }
            const total = data.length / 4; const shares = {};
            Object.keys(counts).forEach(k => { shares[k] = counts[k] / total; });
            return shares; }""",
            ["data:image/png;base64," + base64.b64encode(png).decode(), COLOURS],
        )
    finally:
        tab.close()


def taal_count(catalog) -> int:
    return sum(1 for e in placed(catalog) if "taal" in e.themes)


# --- markers, filters, zoom, colours ----------------------------------------------------------


def test_markers_and_groups_appear_for_every_entry_with_an_address(page, real_url, real_site):
    open_map(page, real_url)
    expected = len(placed(real_site.catalog))
    wait_for_total(page, expected)
    assert page.locator(".leaflet-marker-icon.kaart-groep").count() > 5
    assert page.locator("[data-kaart-tekening]").is_hidden() and page.locator("#kaart-kaart").is_visible()
    assert page.locator(".leaflet-tile, .leaflet-tile-pane img").count() == 0  # no tiles, from anyone
    assert page.locator("#kaart-kaart path[data-gebied]").count() == 110
    # a gebied up close: single markers, shaped and titled by kind and wijk
    go_to(page, "oud-oost")
    page.wait_for_selector(".leaflet-marker-icon.kaart-punt", timeout=WAIT)
    titles = page.locator(".leaflet-marker-icon.kaart-punt").evaluate_all("els => els.map(e => [e.className, e.title, e.getAttribute('role')])")
    kinds = real_site.catalog.taxonomy.kinds
    for class_name, title, role in titles:
        position = int(re.search(r"kaart-soort-(\d)", class_name).group(1))
        assert title.startswith(kinds.terms[position].label) and role == "button"
    assert any(" in Dapperbuurt" in title for _, title, _ in titles), titles
    assert page.locator("[data-kaart-melding]").inner_text() == "Ingezoomd op Oud-Oost"


def test_the_filters_change_the_markers_the_table_and_the_url(page, real_url, real_site):
    catalog = real_site.catalog
    open_map(page, real_url)
    wait_for_total(page, len(placed(catalog)))
    _check(page, "Taal")
    assert page.url.endswith("/kaart/?thema=taal")
    wait_for_total(page, taal_count(catalog))
    taal = catalog.facets["themes"]["taal"]
    assert page.locator("#filter-status").inner_text() == f"{len(taal)} berichten met deze filters"
    # the table counts only Taal now: the wijken with a Taal entry, the rest empty
    counts = {row[0]: int(row[1]) for row in page.locator("table.kaart-tabel tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.wijk, r.querySelector('[data-kaart-aantal]').dataset.waarde])")}
    expected = {wijk: sum(1 for e in taal if wijk in e.areas) for wijk in counts}
    assert counts == expected
    assert page.locator("table.kaart-tabel tbody tr.is-leeg").count() == sum(1 for n in expected.values() if n == 0)
    first = page.locator("table.kaart-tabel tbody tr").first
    assert first.get_attribute("class") == "is-leeg"
    assert page.locator("a[data-filter-link]").get_attribute("href").endswith("/overzicht/?thema=taal")
    # and one more group: AND between groups
    _check(page, "Voorziening")
    assert "thema=taal" in page.url and "soort=voorziening" in page.url
    wait_for_total(page, sum(1 for e in placed(catalog) if "taal" in e.themes and e.kind == "voorziening"))
    page.go_back()
    wait_for_total(page, taal_count(catalog))
    page.go_back()
    wait_for_total(page, len(placed(catalog)))
    assert not page.get_by_role("checkbox", name=re.compile(r"^Taal")).is_checked()


def test_a_shared_link_opens_the_map_with_its_filter(page, real_url, real_site):
    open_map(page, real_url, "?thema=taal&stadsdeel=oost")
    catalog = real_site.catalog
    assert page.locator("#filter-thema-taal").is_checked() and page.locator("#filter-stadsdeel-oost").is_checked()
    wait_for_total(page, sum(1 for e in placed(catalog) if "taal" in e.themes and "oost" in catalog.area_closure(e)))


def test_clicking_an_area_zooms_to_the_stadsdeel_then_the_gebied(page, real_url, real_site):
    areas = real_site.catalog.taxonomy.areas
    open_map(page, real_url)
    boundaries = {f["id"]: shape(f["geometry"]) for f in real_site.json("/kaart/grenzen.json")["features"]}
    in_oost = [w for w in areas.descendants("oost") if areas.level_of(w) == "wijk"]
    start = view(page)
    wijk, spot = free_spot(page, in_oost)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function("() => document.querySelector('[data-kaart-melding]').textContent === 'Ingezoomd op Oost'", timeout=WAIT)
    page.wait_for_function(f"() => parseFloat(document.querySelector('#kaart-kaart').dataset.kaartZoom) > {start[0]}", timeout=WAIT)
    zoom, lat, lon = view(page)
    assert boundaries["oost"].envelope.contains(shapely.Point(lon, lat))
    page.wait_for_timeout(600)
    with_gebied = [w for w in in_oost if areas.level_of(areas.by_id[w].parent) == "gebied"]
    wijk, spot = free_spot(page, with_gebied)
    gebied = areas.by_id[wijk].parent
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function(f"() => document.querySelector('[data-kaart-melding]').textContent === 'Ingezoomd op {areas.label(gebied)}'", timeout=WAIT)
    page.wait_for_function(f"() => parseFloat(document.querySelector('#kaart-kaart').dataset.kaartZoom) > {zoom}", timeout=WAIT)
    _, lat, lon = view(page)
    assert boundaries[gebied].envelope.contains(shapely.Point(lon, lat))
    # a link to an area zooms there at once (from another page, as the locator links)
    page.goto(real_url + "/")
    open_map(page, real_url, "#gebied=dapperbuurt")
    page.wait_for_function("() => document.querySelector('[data-kaart-melding]').textContent === 'Ingezoomd op Dapperbuurt'", timeout=WAIT)


def test_the_wijken_are_coloured_by_number_and_the_empty_ones_stand_out(page, real_url, real_site):
    catalog = real_site.catalog
    open_map(page, real_url)
    fills = lambda: dict(page.locator("#kaart-kaart path[data-gebied]").evaluate_all("ps => ps.map(p => [p.dataset.gebied, p.getAttribute('fill')])"))  # noqa: E731
    assert set(fills().values()) == {"#ffffff"}
    assert page.locator("[data-kaart-kleuren]").is_hidden()
    page.get_by_label("Naar aantal berichten").check()
    coloured = fills()
    empty = {w for w in coloured if catalog.facet_count("areas", w) == 0}
    assert empty and {w for w, fill in coloured.items() if fill == "url(#kaart-arcering)"} == empty
    assert set(coloured.values()) - {"url(#kaart-arcering)"} <= {"#c6dbef", "#6baed6", "#2b7bba", "#08306b"}
    assert len(set(coloured.values())) >= 4
    legend = page.locator("[data-kaart-kleuren] li").all_inner_texts()
    assert legend[0].strip() == "Geen berichten (gestreept)" and len(legend) >= 4
    assert page.locator("[data-kaart-kleuren-titel]").inner_text() == "Berichten in de wijk"
    # with a theme, only its entries count
    _check(page, "Taal")
    taal = catalog.facets["themes"]["taal"]
    hatched = {w for w, fill in fills().items() if fill == "url(#kaart-arcering)"}
    assert hatched == {w for w in coloured if not any(w in e.areas for e in taal)}
    page.get_by_label("Naar berichten per km²").check()
    assert page.locator("[data-kaart-kleuren-titel]").inner_text() == "Berichten per km² in de wijk"
    page.get_by_label("Niet", exact=True).check()
    assert set(fills().values()) == {"#ffffff"} and page.locator("[data-kaart-kleuren]").is_hidden()


# --- keyboard, popups -------------------------------------------------------------------------


def _active(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {id: e.id, cls: String(e.className), role: e.getAttribute('role'),
        text: (e.textContent || '').trim(), title: e.title || '', href: e.getAttribute('href')}; }"""
    )


def test_the_map_works_with_the_keyboard(page, real_url, real_site):
    catalog = real_site.catalog
    open_map(page, real_url)
    page.focus("input[name=kleur][value='']")
    page.keyboard.press("Tab")
    assert _active(page)["text"] == "Sla de kaart over"
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "kaart-kaart"  # the map itself takes the focus
    zoom, lat, lon = view(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => parseFloat(document.querySelector('#kaart-kaart').dataset.kaartMidden.split(',')[1]) > {lon}", timeout=WAIT)
    for _ in range(100):  # markers and groups, in the order the map added them
        page.keyboard.press("Tab")
        group = _active(page)
        assert "leaflet-marker-icon" in group["cls"] and group["role"] == "button", group
        if "kaart-groep" in group["cls"]:
            break
    assert "kaart-groep" in group["cls"]
    assert re.fullmatch(r"\d+ berichten\. Kies om in te zoomen\.", group["text"])
    before = view(page)[0]
    page.keyboard.press("Enter")  # a group zooms in; the focus stays in the map
    page.wait_for_function(f"() => parseFloat(document.querySelector('#kaart-kaart').dataset.kaartZoom) > {before}", timeout=WAIT)
    page.wait_for_function("() => document.activeElement.id === 'kaart-kaart'", timeout=WAIT)
    # close enough for single markers: reach one with Tab, open its popup with Enter
    go_to(page, "oud-oost")
    page.wait_for_selector(".leaflet-marker-icon.kaart-punt", state="attached", timeout=WAIT)
    page.focus("#kaart-kaart")
    for _ in range(200):
        page.keyboard.press("Tab")
        if "kaart-punt" in _active(page)["cls"]:
            break
    marker = _active(page)
    assert "kaart-punt" in marker["cls"] and marker["role"] == "button" and marker["title"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest && document.activeElement.closest('.kaart-popup')", timeout=WAIT)
    link = _active(page)
    entry = catalog.by_slug[link["href"].strip("/").split("/")[-1]]
    assert link["text"] == entry.title
    popup = page.locator(".leaflet-popup .kaart-popup").inner_text()
    assert entry.summary in popup and catalog.taxonomy.kinds.label(entry.kind) in popup
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Sluiten"
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=WAIT)
    back = _active(page)
    assert "kaart-punt" in back["cls"]


def test_a_popup_by_mouse_shows_the_details(page, real_url, real_site):
    open_map(page, real_url, "#gebied=dapperbuurt")
    page.wait_for_timeout(800)
    click_a_marker(page)
    link = page.locator(".leaflet-popup .kaart-popup h3 a")
    page.wait_for_function("() => { const a = document.querySelector('.leaflet-popup .kaart-popup h3 a'); return a && a.getAttribute('href'); }", timeout=WAIT)
    href = link.get_attribute("href")
    assert real_site.path(href).is_file()
    assert link.inner_text() == real_site.catalog.by_slug[href.strip("/").split("/")[-1]].title


# --- policy, accessibility ---------------------------------------------------------------------


def test_the_content_security_policy_holds(browser, real_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # the page's own policy applies
    page = _guarded(context)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => { (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    try:
        open_map(page, real_url)
        go_to(page, "oud-oost")
        click_a_marker(page)
        page.wait_for_selector(".leaflet-popup .kaart-popup h3 a[href]", timeout=WAIT)
        page.get_by_label("Naar aantal berichten").check()
        _check(page, "Taal")
        page.wait_for_timeout(400)
        assert page.evaluate("window.__csp || []") == []
        assert page.outside == [] and page.errors == []
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert "style-src 'self';" in policy and "script-src 'self';" in policy
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_on_the_map(browser, real_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = _guarded(context)
    try:
        open_map(page, real_url)
        assert axe_violations(page, AXE_TAGS) == []
        page.get_by_label("Naar aantal berichten").check()
        go_to(page, "oud-oost")
        click_a_marker(page)
        page.wait_for_selector(".leaflet-popup .kaart-popup h3 a[href]", timeout=WAIT)
        page.wait_for_timeout(500)  # the popup fades in
        assert axe_violations(page, AXE_TAGS) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_axe_finds_nothing_on_the_pages_the_map_adds_to(page, real_url, real_site):
    entry = placed(real_site.catalog)[0]
    for path in (f"/initiatieven/{entry.slug}/", "/cijfers/", "/gebied/oud-oost/", "/thema/taal/", "/overzicht/?thema=taal"):
        page.goto(real_url + path)
        assert axe_violations(page, AXE_TAGS) == [], path


# --- without JavaScript, without Leaflet -------------------------------------------------------


def test_without_javascript_the_drawing_and_the_lists_work(browser, real_url, real_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(real_url + "/kaart/")
        assert page.locator("[data-kaart-plek]").is_hidden() and page.locator("[data-kaart-bediening]").is_hidden()
        assert page.locator("figure.kaart-tekening svg").is_visible()
        page.locator("details[data-group=thema] > summary").click()  # the groups start closed; details opens without JS
        assert page.locator(".filter-options a[data-value=taal]").is_visible()
        assert page.locator("table.kaart-tabel tbody tr").count() == 110
        oost = page.locator('figure.kaart-tekening a[data-gebied="oud-oost"]')
        assert oost.get_attribute("aria-label").startswith("Oud-Oost, ")
        oost.click()
        page.wait_for_url(re.compile(r"/gebied/oud-oost/$"), timeout=WAIT)
        assert page.locator("h1").inner_text() == "Oud-Oost"
    finally:
        context.close()


def test_without_the_map_the_filters_and_the_table_still_work(page, real_url, real_site):
    page.route(re.compile(r".*/vendor/leaflet.*"), lambda route: route.abort())
    page.errors.clear()
    with page.expect_console_message(lambda m: "De kaart kon niet geladen worden" in m.text, timeout=WAIT):
        page.goto(real_url + "/kaart/")  # the map is on screen at this size: Leaflet is asked for, and fails
    page.wait_for_selector("#filter-thema-taal", state="attached", timeout=WAIT)
    _check(page, "Taal")
    assert page.url.endswith("/kaart/?thema=taal")
    taal = real_site.catalog.facets["themes"]["taal"]
    assert page.locator("#filter-status").inner_text() == f"{len(taal)} berichten met deze filters"
    assert page.locator("[data-kaart-plek]").is_hidden() and page.locator("figure.kaart-tekening").is_visible()
    counts = page.locator("table.kaart-tabel tbody tr [data-kaart-aantal]").evaluate_all("cells => cells.map(c => parseInt(c.dataset.waarde, 10))")
    assert sum(counts) == sum(sum(1 for a in e.areas if real_site.catalog.taxonomy.areas.level_of(a) == "wijk") for e in taal)
    # the table sorts by any column
    page.get_by_role("button", name="Wijk").click()
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Wijk")
    names = page.locator("table.kaart-tabel tbody th").all_inner_texts()
    assert names == sorted(names, key=str.casefold) or names[0] <= names[-1]
    page.get_by_role("button", name="Per km²").click()
    page.get_by_role("button", name="Per km²").click()
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Per km²")
    density = page.locator("table.kaart-tabel tbody [data-kaart-dichtheid]").evaluate_all("cells => cells.map(c => parseFloat(c.dataset.waarde))")
    assert density == sorted(density, reverse=True)
    page.errors[:] = [e for e in page.errors if "ERR_FAILED" not in e and "Failed to load resource" not in e]


def test_the_overview_link_carries_its_filter_to_the_map(page, real_url, real_site):
    page.goto(real_url + "/overzicht/")
    page.locator("details[data-group=thema] summary").click()  # the overview's groups start closed
    _check(page, "Taal")
    link = page.get_by_role("link", name="Bekijk op de kaart")
    assert link.get_attribute("href").endswith("/kaart/?thema=taal")
    link.click()
    page.wait_for_selector("[data-kaart-klaar]", state="attached", timeout=WAIT)
    assert page.locator("#filter-thema-taal").is_checked()
    wait_for_total(page, taal_count(real_site.catalog))


# --- pixels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 320])
def test_pixels_of_the_map_and_a_locator(browser, real_url, real_site, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = _guarded(context)
    try:
        open_map(page, real_url)
        wait_for_total(page, len(placed(real_site.catalog)))
        page.wait_for_timeout(400)  # let the last group animation settle
        page.screenshot(path=str(screenshots / f"kaart-{width}.png"), full_page=True)
        map_png = page.locator("#kaart-kaart").screenshot(path=str(screenshots / f"kaart-{width}-kaart.png"))
        box = page.locator("#kaart-kaart").bounding_box()
        assert box["width"] <= width and box["height"] >= 250
        shares = colour_shares(browser, map_png)
        assert shares["boundary"] > 0.01, shares  # the stadsdelen are drawn
        assert shares["group"] > 0.005, shares  # the groups of markers
        assert shares["plain"] > 0.05, shares  # the wijken, not coloured yet
        page.get_by_label("Naar aantal berichten").check()
        page.wait_for_timeout(400)
        coloured = colour_shares(browser, page.locator("#kaart-kaart").screenshot(path=str(screenshots / f"kaart-{width}-kleuren.png")))
        assert coloured["class-3"] > 0.002 and coloured["class-1"] > 0.005, coloured
        assert coloured["plain"] < shares["plain"] / 2, coloured
        open_map(page, real_url, "?thema=taal")  # few wijken have Taal: most are hatched
        page.get_by_label("Naar aantal berichten").check()
        page.wait_for_timeout(400)
        taal = colour_shares(browser, page.locator("#kaart-kaart").screenshot(path=str(screenshots / f"kaart-{width}-taal.png")))
        assert taal["hatch"] > 0.001 and taal["hatch"] > 10 * coloured["hatch"], (taal, coloured)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        entry = placed(real_site.catalog)[0]
        page.goto(f"{real_url}/initiatieven/{entry.slug}/")
        page.screenshot(path=str(screenshots / f"bericht-{width}.png"), full_page=True)
        locator = page.locator(".kaart-locator svg")
        locator.scroll_into_view_if_needed()
        spots = colour_shares(browser, locator.screenshot(path=str(screenshots / f"locator-{width}.png")))
        assert spots["dot"] > 0.002 and spots["boundary"] > 0.005, spots
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.outside == [] and page.errors == []
    finally:
        context.close()


def test_the_map_data_is_what_the_page_loads(page, real_url, real_site):
    """The points and boundaries a browser gets are the build's files (no other source)."""
    loaded = []
    page.on("response", lambda r: loaded.append(r.url) if "/kaart/" in r.url and r.url.endswith(".json") else None)
    open_map(page, real_url)
    names = sorted(url.rsplit("/kaart/", 1)[1] for url in loaded)
    assert names == ["grenzen.json", "punten.json"]  # details only for a popup
    assert json.loads(real_site.path("/kaart/punten.json").read_bytes())["formaat"] == 1


def test_on_a_phone_the_map_loads_only_when_it_comes_near_the_screen(browser, real_url, real_site):
    """The filters and the table work at once; Leaflet, its stylesheets, the boundaries and the
    points (most of the page's bytes and work) are fetched only when the map is scrolled near,
    or, the points, when a filter is chosen."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = _guarded(context)
    try:
        fetched = []
        page.on("request", lambda r: fetched.append(r.url))
        page.add_init_script(
            "window.shifts = []; new PerformanceObserver(list => list.getEntries().forEach(e => window.shifts.push(e.value)))"
            ".observe({type: 'layout-shift', buffered: true});"
        )
        page.goto(real_url + "/kaart/")
        page.wait_for_selector("#filter-thema-taal", state="attached", timeout=WAIT)
        page.wait_for_timeout(500)  # time in which a map that starts at once would have asked
        assert sum(page.evaluate("window.shifts")) <= 0.05  # the filters start without moving the page
        heavy = lambda: [u for u in fetched if "/vendor/leaflet" in u or u.endswith(".json")]  # noqa: E731
        assert heavy() == []
        assert page.locator("figure.kaart-tekening").is_visible() and page.locator("[data-kaart-plek]").is_hidden()
        page.locator("[data-kaart-tekening]").scroll_into_view_if_needed()
        page.wait_for_selector("[data-kaart-klaar]", state="attached", timeout=WAIT)
        # leaflet.js and .css, the groups' script and stylesheet, the boundaries, the points
        assert len(heavy()) == 6 and sum(u.endswith("/kaart/punten.json") for u in heavy()) == 1
        assert page.locator("[data-kaart-plek]").is_visible()
        assert marker_total(page) == len(placed(real_site.catalog))
        assert page.errors == [] and page.outside == []
    finally:
        context.close()


def test_on_a_phone_a_filter_fetches_the_points_and_not_the_map(browser, real_url, real_site):
    """A filter chosen before the map is near: the points come (the table and the lists need
    them), Leaflet and the boundaries do not, and the counts are those of the filter."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = _guarded(context)
    try:
        fetched = []
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(real_url + "/kaart/")
        page.wait_for_selector("#filter-thema-taal", state="attached", timeout=WAIT)
        assert not [u for u in fetched if u.endswith("/kaart/punten.json")]
        _check(page, "Taal")
        taal = real_site.catalog.facets["themes"]["taal"]
        expect(page.locator("#filter-status")).to_have_text(f"{len(taal)} berichten met deze filters", timeout=WAIT)
        assert sum(u.endswith("/kaart/punten.json") for u in fetched) == 1
        assert not [u for u in fetched if "/vendor/leaflet" in u or u.endswith("grenzen.json")]
        counts = page.locator("table.kaart-tabel tbody tr [data-kaart-aantal]").evaluate_all("cells => cells.map(c => parseInt(c.dataset.waarde, 10))")
        assert sum(counts) == sum(sum(1 for a in e.areas if real_site.catalog.taxonomy.areas.level_of(a) == "wijk") for e in taal)
        assert page.errors == [] and page.outside == []
    finally:
        context.close()
