"""Every rule of the content format: one valid and one invalid case each.

Invalid cases assert the problem's key, code, line and Dutch message; valid cases assert
what the model stored (normalised phone numbers and postcodes, parsed dates).
"""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import DELETE, TODAY, entry_data, entry_text, line_of

ACTIVITY = {"soort": "activiteit", "wanneer": {"start": "2026-12-03 17:30", "einde": "2026-12-03 19:30"}}


def _problems(result):
    return [(p.key, p.code) for p in result.problems]


def test_the_example_entry_is_valid(check):
    result = check(entry_text(entry_data()))
    assert result.problems == []
    entry = result.entry
    assert entry.slug == "buurtbuik-oost"
    assert entry.contact.phone == "+31 20 123 4567"
    assert entry.location.postcode == "1094 JN"
    assert entry.location.lat == pytest.approx(52.3652)
    assert entry.featured.until == dt.date(2026, 12, 31)
    assert entry.checked == dt.date(2026, 11, 1)
    assert entry.description == "Iedereen is welkom."


# (id, changes, expected key, expected code, Dutch message or None, line prefix or None)
INVALID = [
    ("titel-too-short", {"titel": "BB"}, "titel", "string_too_short", "Te kort: gebruik minstens 3 tekens.", "titel:"),
    ("titel-too-long", {"titel": "x" * 101}, "titel", "string_too_long", "Te lang: gebruik maximaal 100 tekens.", "titel:"),
    ("titel-two-lines", {"titel": "Buurtbuik\nOost"}, "titel", "one_line", "Dit moet op één regel passen.", "titel:"),
    ("titel-missing", {"titel": DELETE}, "titel", "missing", "Dit veld is verplicht.", None),
    ("titel-not-text", {"titel": ["a", "b"]}, "titel", "string_type", "Hier hoort tekst.", "titel:"),
    ("soort-unknown", {"soort": "initiatiev"}, "soort", "unknown_kinds",
     '"initiatiev" is geen soort. Bedoel je "initiatief"? Kijk in taxonomy/soorten.yaml voor de geldige namen.', "soort:"),
    ("samenvatting-too-short", {"samenvatting": "Eten."}, "samenvatting", "string_too_short",
     "Te kort: gebruik minstens 10 tekens.", "samenvatting:"),
    ("samenvatting-too-long", {"samenvatting": "x" * 301}, "samenvatting", "string_too_long",
     "Te lang: gebruik maximaal 300 tekens.", "samenvatting:"),
    ("themas-none", {"themas": []}, "themas", "too_short", "Geef er minstens 1.", "themas:"),
    ("themas-six", {"themas": ["armoede", "geld", "wonen", "zorg", "taal", "werk"]}, "themas", "too_long",
     "Te veel: maximaal 5.", "themas:"),
    ("themas-unknown", {"themas": ["eenzaam"]}, "themas", "unknown_themes",
     '"eenzaam" is geen thema. Bedoel je "eenzaamheid"? Kijk in taxonomy/themas.yaml voor de geldige namen.', "- eenzaam"),
    ("themas-duplicate", {"themas": ["armoede", "armoede"]}, "themas", "duplicate_item",
     "'armoede' staat er twee keer in.", "themas:"),
    ("themas-synonym-is-not-an-id", {"themas": ["schulden"]}, "themas", "unknown_themes", None, "- schulden"),
    ("doelgroepen-unknown", {"doelgroepen": ["senioren"]}, "doelgroepen", "unknown_audiences", None, "- senioren"),
    ("werkgebied-none", {"werkgebied": []}, "werkgebied", "too_short", "Geef er minstens 1.", "werkgebied:"),
    ("werkgebied-eleven", {"werkgebied": ["amsterdam", "centrum", "west", "zuid", "oost", "noord", "weesp",
                                          "zuidoost", "nieuw-west", "westpoort", "dapperbuurt"]},
     "werkgebied", "too_long", "Te veel: maximaal 10.", "werkgebied:"),
    ("werkgebied-unknown", {"werkgebied": ["daperbuurt"]}, "werkgebied", "unknown_areas", None, "- daperbuurt"),
    ("organisatie-too-long", {"organisatie": "o" * 121}, "organisatie", "string_too_long",
     "Te lang: gebruik maximaal 120 tekens.", "organisatie:"),
    ("contact-missing-initiatief", {"contact": DELETE}, "contact", "contact_required",
     "Een initiatief heeft contactgegevens nodig: voeg 'contact' toe met een e-mailadres, telefoonnummer of website.", None),
    ("contact-missing-vraag", {"contact": DELETE, "soort": "vraag"}, "contact", "contact_required", None, None),
    ("contact-missing-activiteit", {"contact": DELETE, **ACTIVITY}, "contact", "contact_required", None, None),
    ("contact-unreachable", {"contact": {"naam": "Fatima"}}, "contact", "contact_empty",
     "Geef minstens een e-mailadres, telefoonnummer of website.", "contact:"),
    ("email-invalid", {"contact__email": "oost@@buurtbuik"}, "contact.email", "email",
     "'oost@@buurtbuik' is geen geldig e-mailadres. Voorbeeld: info@buurthuis.nl.", "  email:"),
    ("telefoon-invalid", {"contact__telefoon": "12345"}, "contact.telefoon", "phone",
     "'12345' is geen geldig telefoonnummer. Voorbeeld: 020 123 4567 of +31 6 12345678.", "  telefoon:"),
    ("telefoon-words", {"contact__telefoon": "bel ons"}, "contact.telefoon", "phone", None, "  telefoon:"),
    ("website-javascript", {"contact__website": "javascript:alert(1)"}, "contact.website", "url",
     "'javascript:alert(1)' is geen geldig webadres. Het moet beginnen met https:// of http://.", "  website:"),
    ("website-ftp", {"contact__website": "ftp://buurtbuik.example/"}, "contact.website", "url", None, "  website:"),
    ("website-data", {"contact__website": "data:text/html,<script>alert(1)</script>"}, "contact.website", "url", None, "  website:"),
    ("website-no-scheme", {"contact__website": "www.buurtbuik.nl"}, "contact.website", "url", None, "  website:"),
    ("postcode-invalid", {"locatie__postcode": "109 JN"}, "locatie.postcode", "postcode",
     "'109 JN' is geen Nederlandse postcode. Schrijf vier cijfers en twee letters, zoals 1094 JN.", "  postcode:"),
    ("lat-without-lon", {"locatie__lon": DELETE}, "locatie", "lat_lon_pair",
     "Geef lat en lon allebei, of geen van beide.", "locatie:"),
    ("lon-without-lat", {"locatie__lat": DELETE}, "locatie", "lat_lon_pair", None, "locatie:"),
    ("outside-bbox", {"locatie__lat": "4.9391", "locatie__lon": "52.3652"}, "locatie", "outside_city",
     "Deze plek ligt buiten Amsterdam (lat 52.277-52.432, lon 4.728-5.108). Controleer lat en lon; zijn ze misschien omgewisseld?",
     "locatie:"),
    ("lat-not-a-number", {"locatie__lat": "noord"}, "locatie.lat", "float_parsing",
     "Hier hoort een getal, zoals 52.3652.", "  lat:"),
    ("wanneer-on-initiatief", {"wanneer": {"start": "2026-12-03"}}, "wanneer", "when_not_allowed",
     "'wanneer' is alleen voor activiteiten, niet voor een initiatief. Gebruik 'tijden' voor vaste tijden, of maak er een activiteit van.",
     "wanneer:"),
    ("wanneer-on-voorziening", {"soort": "voorziening", "wanneer": {"start": "2026-12-03"}}, "wanneer",
     "when_not_allowed", None, "wanneer:"),
    ("activiteit-without-wanneer", {"soort": "activiteit"}, "wanneer", "when_required",
     "Een activiteit heeft een datum nodig: voeg 'wanneer' toe met 'start' (en eventueel 'einde').", None),
    ("einde-before-start", {**ACTIVITY, "wanneer": {"start": "2026-12-03 17:30", "einde": "2026-12-03 16:00"}},
     "wanneer", "end_before_start", "Het einde ligt voor het begin. Controleer de datums.", "wanneer:"),
    ("einde-day-before-start", {**ACTIVITY, "wanneer": {"start": "2026-12-03", "einde": "2026-12-02"}},
     "wanneer", "end_before_start", None, "wanneer:"),
    ("start-not-a-date", {**ACTIVITY, "wanneer": {"start": "donderdag"}}, "wanneer.start", "moment_format",
     "'donderdag' is geen datum of tijd. Schrijf 2027-01-15 of 2027-01-15 19:30.", "  start:"),
    ("start-impossible-time", {**ACTIVITY, "wanneer": {"start": "2026-12-03 25:00"}}, "wanneer.start",
     "moment_format", None, "  start:"),
    ("tijden-too-long", {"tijden": "t" * 201}, "tijden", "string_too_long", "Te lang: gebruik maximaal 200 tekens.", "tijden:"),
    ("kosten-too-long", {"kosten": "k" * 101}, "kosten", "string_too_long", "Te lang: gebruik maximaal 100 tekens.", "kosten:"),
    ("talen-not-iso", {"talen": ["nl", "nederlands"]}, "talen", "language",
     "'nederlands' is geen taalcode. Gebruik codes van twee letters, zoals nl, en, ar, tr.", "- nederlands"),
    ("talen-three-letters", {"talen": ["nld"]}, "talen", "language", None, "- nld"),
    ("verloopt-on-initiatief", {"verloopt": "2027-02-01"}, "verloopt", "expires_not_allowed",
     "'verloopt' is alleen voor vragen, niet voor een initiatief. Haal het weg.", "verloopt:"),
    ("verloopt-not-a-date", {"soort": "vraag", "verloopt": "over een maand"}, "verloopt", "date_format",
     "'over een maand' is geen datum. Schrijf een datum als 2026-11-01 (jaar-maand-dag).", "verloopt:"),
    ("uitgelicht-without-tot", {"uitgelicht": {"reden": "Nieuw"}}, "uitgelicht.tot", "missing",
     "Dit veld is verplicht.", "uitgelicht:"),
    ("uitgelicht-tot-not-a-date", {"uitgelicht__tot": "eind december"}, "uitgelicht.tot", "date_format", None, "  tot:"),
    ("gecontroleerd-in-the-future", {"gecontroleerd": "2026-11-24"}, "gecontroleerd", "date_in_future",
     "De datum 2026-11-24 ligt in de toekomst (vandaag is 2026-11-23). Vul de dag in waarop je het hebt gecontroleerd.",
     "gecontroleerd:"),
    ("gecontroleerd-impossible", {"gecontroleerd": "2026-02-30"}, "gecontroleerd", "date_from_datetime_parsing",
     "Dit is geen bestaande datum. Schrijf een datum als 2026-11-01 (jaar-maand-dag).", "gecontroleerd:"),
    ("gecontroleerd-missing", {"gecontroleerd": DELETE}, "gecontroleerd", "missing", "Dit veld is verplicht.", None),
    ("status-unknown", {"status": "gesloten"}, "status", "literal_error",
     "Kies één van: 'actief', 'gepauzeerd', 'gestopt'.", "status:"),
    ("status-capitalised", {"status": "Actief"}, "status", "literal_error", None, "status:"),
    ("unknown-key-top", {"stauts": "actief"}, "stauts", "extra_forbidden",
     "'stauts' is geen bekend veld. Bedoel je 'status'?", "stauts:"),
    ("unknown-key-contact", {"contact__emial": "x@y.example"}, "contact.emial", "extra_forbidden",
     "'emial' is geen bekend veld. Bedoel je 'email'?", "  emial:"),
    ("unknown-key-locatie", {"locatie__postkode": "1094 JN"}, "locatie.postkode", "extra_forbidden",
     "'postkode' is geen bekend veld. Bedoel je 'postcode'?", "  postkode:"),
    ("unknown-key-wanneer", {**ACTIVITY, "wanneer": {"start": "2026-12-03", "eind": "2026-12-04"}},
     "wanneer.eind", "extra_forbidden", "'eind' is geen bekend veld. Bedoel je 'einde'?", "  eind:"),
    ("unknown-key-uitgelicht", {"uitgelicht__kleur": "rood"}, "uitgelicht.kleur", "extra_forbidden",
     "'kleur' is geen bekend veld. Toegestaan zijn: tot, reden.", "  kleur:"),
    ("reserved-key-slug", {"slug": "iets-anders"}, "slug", "reserved_key", None, "slug:"),
    ("reserved-key-beschrijving", {"beschrijving": "Tekst"}, "beschrijving", "reserved_key", None, "beschrijving:"),
]


@pytest.mark.parametrize(
    "changes, key, code, message, line_prefix", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid(check, changes, key, code, message, line_prefix):
    text = entry_text(entry_data(**changes))
    result = check(text)
    assert result.entry is None
    assert (key, code) in _problems(result), _problems(result)
    problem = next(p for p in result.problems if (p.key, p.code) == (key, code))
    if message is not None:
        assert problem.message("nl") == message
    assert problem.line == (line_of(text, line_prefix) if line_prefix else 1)
    # every problem also has an English message, and no message is left with a raw placeholder
    for found in result.problems:
        assert "{" not in found.message("nl") and "{" not in found.message("en")
        assert found.message("en") != found.message("nl")


VALID_CASES = [
    ("titel-3-chars", {"titel": "Zon"}, lambda e: e.title == "Zon"),
    ("titel-100-chars", {"titel": "x" * 100}, lambda e: len(e.title) == 100),
    ("titel-html-kept-as-text", {"titel": "<b>Buurtbuik</b>"}, lambda e: e.title == "<b>Buurtbuik</b>"),
    ("samenvatting-10-chars", {"samenvatting": "x" * 10}, lambda e: len(e.summary) == 10),
    ("samenvatting-300-chars", {"samenvatting": "x" * 300}, lambda e: len(e.summary) == 300),
    ("each-kind-voorziening", {"soort": "voorziening", "contact": DELETE}, lambda e: e.contact is None),
    ("themas-five", {"themas": ["armoede", "geld", "wonen", "zorg", "taal"]}, lambda e: len(e.themes) == 5),
    ("themas-one-as-text", {"themas": "armoede"}, lambda e: e.themes == ["armoede"]),
    ("doelgroepen-optional", {"doelgroepen": DELETE}, lambda e: e.audiences == []),
    ("werkgebied-every-level", {"werkgebied": ["amsterdam", "oost", "indische-buurt-oostelijk-havengebied", "indische-buurt-west"]},
     lambda e: e.areas == ["amsterdam", "oost", "indische-buurt-oostelijk-havengebied", "indische-buurt-west"]),
    ("werkgebied-ten", {"werkgebied": ["amsterdam", "centrum", "west", "zuid", "oost", "noord", "weesp", "zuidoost",
                                       "nieuw-west", "westpoort"]}, lambda e: len(e.areas) == 10),
    ("organisatie-120", {"organisatie": "o" * 120}, lambda e: len(e.organisation) == 120),
    ("organisatie-optional", {"organisatie": DELETE}, lambda e: e.organisation is None),
    ("contact-email-only", {"contact": {"email": "Info@Buurtbuik.Example"}}, lambda e: e.contact.email == "info@buurtbuik.example"),
    ("contact-website-only", {"contact": {"website": "http://buurtbuik.example"}}, lambda e: e.contact.website == "http://buurtbuik.example"),
    ("telefoon-landline", {"contact__telefoon": "020 123 4567"}, lambda e: e.contact.phone == "+31 20 123 4567"),
    ("telefoon-mobile", {"contact__telefoon": "06 12345678"}, lambda e: e.contact.phone == "+31 6 12345678"),
    ("telefoon-no-spaces", {"contact__telefoon": "0201234567"}, lambda e: e.contact.phone == "+31 20 123 4567"),
    ("telefoon-international", {"contact__telefoon": "+32 2 555 12 12"}, lambda e: e.contact.phone == "+32 2 555 12 12"),
    ("postcode-lower-no-space", {"locatie__postcode": "1094jn"}, lambda e: e.location.postcode == "1094 JN"),
    ("postcode-extra-spaces", {"locatie__postcode": " 1094 jn "}, lambda e: e.location.postcode == "1094 JN"),
    ("locatie-without-coordinates", {"locatie__lat": DELETE, "locatie__lon": DELETE}, lambda e: e.location.lat is None),
    ("activiteit-date-time", ACTIVITY, lambda e: e.when.start == dt.datetime(2026, 12, 3, 17, 30)),
    ("activiteit-date-only", {**ACTIVITY, "wanneer": {"start": "2026-12-03"}}, lambda e: e.when.start == dt.date(2026, 12, 3)),
    ("activiteit-same-day-end", {**ACTIVITY, "wanneer": {"start": "2026-12-03 17:30", "einde": "2026-12-03"}},
     lambda e: e.when.end == dt.date(2026, 12, 3)),
    ("activiteit-in-the-past-is-valid", {**ACTIVITY, "wanneer": {"start": "2020-01-01"}}, lambda e: e.when.start.year == 2020),
    ("tijden-200", {"tijden": "t" * 200}, lambda e: len(e.hours) == 200),
    ("kosten-100", {"kosten": "k" * 100}, lambda e: len(e.cost) == 100),
    ("talen-iso", {"talen": ["nl", "tr", "ti"]}, lambda e: e.languages == ["nl", "tr", "ti"]),
    ("talen-no-is-a-language", {"talen": ["no"]}, lambda e: e.languages == ["no"]),
    ("verloopt-on-vraag", {"soort": "vraag", "verloopt": "2027-02-01"},
     lambda e: e.question_expires() == dt.date(2027, 2, 1)),
    ("vraag-default-expiry", {"soort": "vraag"}, lambda e: e.question_expires() == dt.date(2027, 1, 30)),
    ("uitgelicht-with-reden", {"uitgelicht": {"tot": "2026-12-31", "reden": "Nieuw"}}, lambda e: e.featured.reason == "Nieuw"),
    ("gecontroleerd-today", {"gecontroleerd": TODAY.isoformat()}, lambda e: e.checked == TODAY),
    ("status-default", {"status": DELETE}, lambda e: e.status == "actief"),
    ("status-gepauzeerd", {"status": "gepauzeerd"}, lambda e: e.status == "gepauzeerd"),
    ("status-gestopt", {"status": "gestopt"}, lambda e: e.status == "gestopt"),
]


@pytest.mark.parametrize("changes, expect", [case[1:] for case in VALID_CASES], ids=[case[0] for case in VALID_CASES])
def test_valid(check, changes, expect):
    result = check(entry_text(entry_data(**changes)))
    assert result.problems == []
    assert expect(result.entry)


def test_werkgebied_accepts_a_wijk_of_every_stadsdeel(check, context):
    areas = context.taxonomy.areas
    for stadsdeel in areas.of_level("stadsdeel"):
        wijken = [a for a in areas.descendants(stadsdeel.id) if areas.level_of(a) == "wijk"]
        chosen = [stadsdeel.id] + wijken[:1]
        result = check(entry_text(entry_data(werkgebied=chosen)))
        assert result.problems == [], (chosen, result.problems)


def test_description_limit(check):
    assert check(entry_text(entry_data(), body="x" * 10_000 + "\n")).problems == []
    result = check(entry_text(entry_data(), body="x" * 10_001 + "\n"))
    text = entry_text(entry_data(), body="x")
    [problem] = result.problems
    assert (problem.key, problem.code, problem.line) == ("beschrijving", "description_too_long", text.count("\n") + 1)
    assert problem.message() == "De beschrijving is te lang (10001 tekens). Maximaal 10000 tekens."


@pytest.mark.parametrize("slug", ["abc", "buurtbuik-oost", "a1-b2-c3", "x" * 80])
def test_slug_valid(check, slug):
    assert check(entry_text(entry_data()), slug=slug).problems == []


@pytest.mark.parametrize(
    "slug, suggestion",
    [("ab", "ab-initiatief"), ("Buurtbuik_Oost", "buurtbuik-oost"), ("a--b", "a-b"), ("-abc", "abc"),
     ("café-oost", "cafe-oost"), ("x" * 81, "x" * 80)],
)
def test_slug_invalid(check, slug, suggestion):
    result = check(entry_text(entry_data()), slug=slug)
    [problem] = result.problems
    assert (problem.key, problem.code, problem.line) == ("slug", "bad_slug", 1)
    assert f"bijvoorbeeld '{suggestion}.md'" in problem.message()


def test_every_problem_in_one_run(check):
    text = entry_text(
        entry_data(titel="BB", themas=["eenzaam"], status="gesloten", foo="bar", contact=DELETE)
    )
    result = check(text)
    assert _problems(result) == [
        ("contact", "contact_required"),
        ("titel", "string_too_short"),
        ("themas", "unknown_themes"),
        ("status", "literal_error"),
        ("foo", "extra_forbidden"),
    ]
    assert [p.line for p in result.problems] == sorted(p.line for p in result.problems)


def test_kind_rules_show_up_next_to_field_errors(check):
    result = check(entry_text(entry_data(soort="activiteit", titel="BB")))
    assert set(_problems(result)) == {("titel", "string_too_short"), ("wanneer", "when_required")}


def test_english_messages(check):
    result = check(entry_text(entry_data(themas=["eenzaam"])))
    [problem] = result.problems
    assert problem.message("en") == (
        '"eenzaam" is not a theme. Did you mean "eenzaamheid"? See taxonomy/themas.yaml for the valid ids.'
    )
