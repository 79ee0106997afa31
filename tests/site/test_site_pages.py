"""The site's pages in a real build of the Amsterdam fixture, asserted with CSS selectors."""

from __future__ import annotations

import json
import re

import pytest
from testkit import unhashed

from wijknet.site.pages import by_title
from site_support import BUILD_DATE


def texts(soup, selector):
    found = [" ".join(node.get_text(" ", strip=True).split()) for node in soup.select(selector)]
    return [re.sub(r" ([,.;:)])", r"\1", text) for text in found]


def hrefs(soup, selector):
    return [node["href"] for node in soup.select(selector)]


def test_every_page_is_dutch_with_landmarks_skip_link_and_search(amsterdam_site):
    pages = amsterdam_site.page_urls()
    assert len(pages) > 20
    for page in pages:
        soup = amsterdam_site.html(page)
        assert soup.html["lang"] == "nl", page
        assert soup.select_one("a.skip-link[href='#inhoud']"), page
        assert soup.select_one("main#inhoud"), page
        assert soup.select_one("header nav") and soup.select_one("footer"), page
        form = soup.select_one("form[role=search]")
        assert form and form["action"] == "/zoeken/" and form.select_one("input#zoekveld[name=q]"), page
        csp = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp, page
        # no inline script: every script either has a src or is a data block
        for script in soup.select("script"):
            assert script.get("src") or script.get("type") in ("application/json", "application/ld+json"), page
        # nothing from a third party
        for node in soup.select("[src], link[href]"):
            url = node.get("src") or node.get("href")
            assert not re.match(r"^(https?:)?//", url) or node.name == "link" and node.get("rel") in (["canonical"], ["alternate"]), (page, url)


def test_home_prikbord_has_one_link_per_featured_entry(amsterdam_site):
    soup = amsterdam_site.html("/")
    board = soup.select_one("#prikbord")
    # featured on the build date: tot == today (buurtmaaltijd) and tot later (workshop);
    # taalcafe's tot was yesterday, the gestopt and expired entries are not featured.
    assert hrefs(board, "a") == [
        "/initiatieven/workshop-vallen-voorkomen/",
        "/initiatieven/buurtmaaltijd-dapperbuurt/",
    ]


def test_home_ways_in(amsterdam_site):
    soup = amsterdam_site.html("/")
    assert soup.select_one("form[role=search] input#zoekveld-start")
    theme_links = dict(zip(hrefs(soup, "#thema-titel + ul a"), texts(soup, "#thema-titel + ul a")))
    assert theme_links["/thema/ontmoeting/"] == "Ontmoeting (3)"
    stadsdelen = texts(soup, "#stadsdeel-titel + ul a")
    assert stadsdelen == ["Oost (6)", "Noord (1)"]  # taxonomy order
    upcoming = hrefs(soup, "#agenda-titel ~ ul.cards a")
    assert upcoming == ["/initiatieven/koffieochtend-vandaag/", "/initiatieven/workshop-vallen-voorkomen/"]
    recent = hrefs(soup, "#nieuw-titel ~ ul.cards a")
    assert recent[0] == "/initiatieven/stedelijk-mantelzorgsteunpunt/"
    assert "/initiatieven/repair-cafe-gestopt/" not in recent


def test_entry_page_shows_every_field_for_people(amsterdam_site):
    soup = amsterdam_site.html("/initiatieven/buurtmaaltijd-dapperbuurt/")
    assert texts(soup, "h1") == ["Buurtmaaltijd Dapperbuurt"]
    assert hrefs(soup, ".contact-list a") == [
        "tel:+31201234567",
        "mailto:eten@samen.example",
        "https://samen.example/dapperbuurt",
    ]
    assert "noopener" in soup.select_one(".contact-list a[href^='https']")["rel"]
    facts = dict(zip(texts(soup, ".facts dt"), texts(soup, ".facts dd")))
    assert facts["Tijden"] == "Elke donderdag 17.30 - 19.30 uur"
    assert facts["Kosten"] == "3 euro"
    assert facts["Talen"] == "Nederlands, Arabisch, Turks"
    assert facts["Voor wie"] == "Iedereen, Ouderen"
    assert facts["Organisatie"] == "Stichting Samen Eten"
    assert facts["Werkgebied"].startswith("Dapperbuurt (Oud-Oost, Oost)")
    assert texts(soup, "address") == ["Buurtkamer Dapperbuurt Eerste Van Swindenstraat 511 1093 GB Amsterdam"]
    assert texts(soup, ".checked") == ["Gecontroleerd op zondag 1 november 2026"]
    assert soup.select_one(".checked time")["datetime"] == "2026-11-01"
    # Markdown description, headings below the page's h2
    assert texts(soup, ".prose strong") == ["Aanmelden hoeft niet."]
    assert texts(soup, ".prose h3") == ["Meehelpen"]
    assert soup.select_one(".prose a")["rel"] == ["noopener", "noreferrer"]
    # no submission service configured: GitHub's edit page, and e-mail for people without an account
    assert hrefs(soup, ".correction a") == [
        "https://github.com/wijknet/test/edit/main/content/initiatieven/buurtmaaltijd-dapperbuurt.md",
        "mailto:redactie@test.wijknet.example?subject=Verbetering%20voor%20Buurtmaaltijd%20Dapperbuurt",
    ]
    assert "GitHub-account" in texts(soup, ".correction .correction-note")[0]
    assert "Klopt er iets niet?" in texts(soup, ".correction h2")
    assert not amsterdam_site.path("/initiatieven/buurtmaaltijd-dapperbuurt/wijzigen/").parent.exists()
    assert not soup.select(".notice")


def test_related_entries_share_a_theme_and_an_area(amsterdam_site):
    soup = amsterdam_site.html("/initiatieven/buurtmaaltijd-dapperbuurt/")
    related = hrefs(soup, ".related .card-title a")
    assert related == ["/initiatieven/koffieochtend-vandaag/"]  # ontmoeting + dapperbuurt; gestopt left out


@pytest.mark.parametrize(
    "slug, state, text",
    [
        ("repair-cafe-gestopt", "stopped", "Gestopt."),
        ("inloop-spreekuur-pauze", "paused", "Gepauzeerd."),
        ("informatieavond-afgelopen", "past", "Afgelopen."),
        ("oude-vraag-gesloten", "closed", "Gesloten."),
    ],
)
def test_entry_notices(amsterdam_site, slug, state, text):
    soup = amsterdam_site.html(f"/initiatieven/{slug}/")
    notice = soup.select_one(f".notice-{state}")
    assert notice is not None and notice.get_text(" ", strip=True).startswith(text)
    assert len(soup.select(".notice")) == 1


def test_closed_question_names_its_last_day(amsterdam_site):
    soup = amsterdam_site.html("/initiatieven/oude-vraag-gesloten/")
    assert "zondag 30 augustus 2026" in soup.select_one(".notice-closed").get_text()
    open_question = amsterdam_site.html("/initiatieven/maatje-gezocht-oost/")
    facts = dict(zip(texts(open_question, ".facts dt"), texts(open_question, ".facts dd")))
    assert facts["Open tot en met"] == "zaterdag 30 januari 2027"


def test_activity_shows_its_time(amsterdam_site):
    soup = amsterdam_site.html("/initiatieven/workshop-vallen-voorkomen/")
    assert texts(soup, ".entry-when") == ["donderdag 3 december 2026, 14.00 tot 16.00 uur"]
    assert soup.select_one(".entry-when time")["datetime"] == "2026-12-03T14:00"


def test_gestopt_and_closed_entries_leave_lists_but_keep_their_page(amsterdam_site):
    for slug in ("repair-cafe-gestopt", "oude-vraag-gesloten"):
        assert amsterdam_site.path(f"/initiatieven/{slug}/").is_file()
        page = amsterdam_site.html(f"/initiatieven/{slug}/")
        assert page.select_one('meta[name=robots][content=noindex]')
        for url in ("/", "/overzicht/", "/gebied/oost/", "/gebied/amsterdam/", "/thema/ontmoeting/", "/thema/voeding/"):
            if amsterdam_site.path(url).exists():
                assert f"/initiatieven/{slug}/" not in hrefs(amsterdam_site.html(url), "a"), (slug, url)


def _facet_entries(site, url):
    return sorted(hrefs(site.html(url), "#berichten ~ ul.cards .card-title a"))


def test_area_pages_roll_up(amsterdam_site):
    """A wijk's entries also appear on its gebied, stadsdeel and city pages, and counts add up."""
    dapper = _facet_entries(amsterdam_site, "/gebied/dapperbuurt/")
    oosterpark = _facet_entries(amsterdam_site, "/gebied/oosterparkbuurt/")
    transvaal = _facet_entries(amsterdam_site, "/gebied/transvaalbuurt/")
    oud_oost = _facet_entries(amsterdam_site, "/gebied/oud-oost/")
    oost = _facet_entries(amsterdam_site, "/gebied/oost/")
    city = _facet_entries(amsterdam_site, "/gebied/amsterdam/")
    assert dapper == ["/initiatieven/buurtmaaltijd-dapperbuurt/", "/initiatieven/koffieochtend-vandaag/"]
    assert oud_oost == sorted(dapper + oosterpark + transvaal)
    # oost = its gebieden plus what is tagged with the stadsdeel itself (the paused voorziening)
    assert oost == sorted(oud_oost + ["/initiatieven/inloop-spreekuur-pauze/"])
    noord = _facet_entries(amsterdam_site, "/gebied/noord/")
    assert city == sorted(oost + noord + ["/initiatieven/stedelijk-mantelzorgsteunpunt/"])
    counts = texts(amsterdam_site.html("/gebied/oost/"), ".facet-count strong")
    assert counts == [f"{len(oost)} berichten"]
    children = texts(amsterdam_site.html("/gebied/oost/"), "#onderdelen + ul a")
    assert children == [f"Oud-Oost ({len(oud_oost)})"]


def test_facet_pages_exist_only_for_terms_with_entries(amsterdam_site):
    out = amsterdam_site.output
    assert (out / "thema/ontmoeting/index.html").is_file()
    assert (out / "soort/vraag/index.html").is_file()
    assert (out / "doelgroep/ouderen/index.html").is_file()
    assert not (out / "thema/cultuur").exists()
    assert not (out / "gebied/zuid").exists()
    themes = amsterdam_site.html("/thema/")
    assert "Ontmoeting (3)" in texts(themes, ".term-list a")
    kinds = _facet_entries(amsterdam_site, "/soort/activiteit/")
    # the past activity stays listed (marked afgelopen); only the agenda drops it
    assert "/initiatieven/informatieavond-afgelopen/" in kinds
    areas = amsterdam_site.html("/gebied/")
    assert texts(areas, "#gebied-oost a") == ["Oost (6)"]


def test_overview_lists_every_listed_entry_with_filter_links(amsterdam_site):
    soup = amsterdam_site.html("/overzicht/")
    cards = soup.select("[data-results] > li")
    listed = amsterdam_site.project.load(BUILD_DATE).catalog.listed
    assert sorted(li.select_one("a")["href"] for li in cards) == sorted(f"/initiatieven/{e.slug}/" for e in listed)
    assert texts(soup, "#filter-status") == [f"{len(listed)} berichten"]
    groups = [details["data-group"] for details in soup.select(".filter-group")]
    assert groups == ["soort", "thema", "doelgroep", "stadsdeel", "wijk"]
    # without JavaScript every filter is a link to a facet page
    for link in soup.select(".filter-options a"):
        assert re.fullmatch(r"/(soort|thema|doelgroep|gebied)/[a-z0-9-]+/", link["href"])
        assert amsterdam_site.path(link["href"]).is_file()
    # what the script filters on: the overview list, in title order, with the search's refs
    overview = soup.select_one("[data-overview]")
    assert overview["data-manifest"] == "/search/manifest.json"
    table = json.loads(amsterdam_site.path(overview["data-list"]).read_text(encoding="utf-8"))
    position = [row[0] for row in table["lijst"]]
    assert [listed[at].slug for at in position] == [e.slug for e in by_title(listed)]
    dapper = table["lijst"][[listed[at].slug for at in position].index("buurtmaaltijd-dapperbuurt")]
    assert table["soorten"][dapper[1]] == "initiatief"
    assert [table["gebieden"][at] for at in dapper[4]] == ["dapperbuurt"]
    parents, at = [], dapper[4][0]
    while at != -1:
        parents.append(table["gebieden"][at])
        at = table["ouders"][at]
    assert parents == ["dapperbuurt", "oud-oost", "oost", "amsterdam"]
    assert unhashed(soup.select_one("script[src^='/static/js/filters.'][defer]")["src"]) == "/static/js/filters.js"
    assert unhashed(soup.select_one("script[src^='/static/js/overview.'][defer]")["src"]) == "/static/js/overview.js"


def test_agenda_lists_upcoming_activities_by_date(amsterdam_site):
    soup = amsterdam_site.html("/agenda/")
    days = texts(soup, ".agenda-day h2")
    assert days == ["Vandaag, maandag 23 november 2026", "donderdag 3 december 2026"]
    links = hrefs(soup, ".agenda-day .card-title a")
    assert links == ["/initiatieven/koffieochtend-vandaag/", "/initiatieven/workshop-vallen-voorkomen/"]
    assert "/initiatieven/informatieavond-afgelopen/" not in hrefs(soup, "a")


@pytest.mark.parametrize("name, heading", [("meedoen", "Meedoen"), ("over", "Over Wijknet Amsterdam Test"), ("toegankelijkheid", "Toegankelijkheid")])
def test_static_pages(amsterdam_site, name, heading):
    soup = amsterdam_site.html(f"/{name}/")
    assert texts(soup, "h1") == [heading]
    assert soup.select("main h2")


def test_the_404_page_has_search_and_the_main_links_and_is_not_indexed(amsterdam_site):
    soup = amsterdam_site.html("/404.html")
    assert texts(soup, "h1") == ["Pagina niet gevonden"]
    assert soup.select_one("main form[role=search]")["action"] == "/zoeken/"
    assert {"/", "/overzicht/", "/agenda/", "/meedoen/"} <= set(hrefs(soup, "main a"))
    assert soup.select_one('meta[name=robots]')["content"] == "noindex"
    sitemap = (amsterdam_site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "404" not in sitemap


def test_heading_order_never_skips_a_level(amsterdam_site):
    for page in amsterdam_site.page_urls(only_site_pages=True):
        soup = amsterdam_site.html(page)
        assert len(soup.select("h1")) == 1, page
        levels = [int(h.name[1]) for h in soup.select("main h1, main h2, main h3, main h4, main h5, main h6")]
        previous = 0
        for level in levels:
            assert level <= previous + 1, (page, levels)
            previous = level


def test_static_files_and_vendored_libraries(amsterdam_site):
    out = amsterdam_site.output
    assert (out / "static/css/site.css").is_file()
    assert (out / "static/js/filters.js").is_file()
    for name in ("lunr/lunr.min.js", "lunr-languages/min/lunr.stemmer.support.min.js", "lunr-languages/min/lunr.nl.min.js"):
        assert (out / "static/vendor" / name).is_file()
    # Pelican's own outputs are switched off
    for name in ("category", "tag", "author", "archives.html", "tags.html", "theme", "pages"):
        assert not (out / name).exists(), name
    assert "@media print" in (out / "static/css/site.css").read_text()


def test_every_registered_room_loads_strictly():
    """A misspelt provider or hook must fail the build, not drop its pages silently."""
    import pytest as _pytest

    from wijknet import providers
    from wijknet.engine.registry import Provider

    names = [provider.name for provider in providers.PROVIDERS]
    assert names == ["site", "exports", "hsds", "search", "submissions", "report", "kaart", "matching", "admin"]
    with _pytest.raises(ValueError, match="no such hook"):
        Provider("kapot", lambda build: [], hooks={"entry_section": lambda build, entry: []})
    with _pytest.raises(ValueError, match="takes"):
        Provider("kapot", lambda build: [], hooks={"entry_sections": lambda entry: []})


def test_theme_and_area_pages_announce_their_own_feed(amsterdam_site):
    def feeds(url):
        soup = amsterdam_site.html(url)
        return [(link["href"], link["title"]) for link in soup.select('head link[rel="alternate"][type="application/atom+xml"]')]

    base = amsterdam_site.project.load_settings().site_url.rstrip("/")
    theme = feeds("/thema/ontmoeting/")
    assert theme[-1][0] == f"{base}/feeds/thema/ontmoeting.atom.xml" and "Ontmoeting" in theme[-1][1]
    wijk = feeds("/gebied/dapperbuurt/")  # a wijk announces the feed of its stadsdeel
    assert wijk[-1][0] == f"{base}/feeds/gebied/oost.atom.xml"
    for href in (theme[-1][0], wijk[-1][0]):
        assert amsterdam_site.path(href[len(base) :]).is_file(), href
    assert len(feeds("/soort/activiteit/")) == 1  # only the feed of all
