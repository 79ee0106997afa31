"""Generate N valid entries with realistic Dutch text, deterministically.

    python benchmarks/generate.py N OUTDIR [--seed S] [--taxonomy DIR] [--date YYYY-MM-DD]

writes ``OUTDIR/initiatieven/<slug>.md``. From Python: ``generate_entries(n, seed, taxonomy)``
returns the file texts (the same seed gives the same texts). Every kind, varied lengths
(descriptions from none to about 1,500 characters), 1-4 themes, 0-3 target groups and 1-3
areas of any level. The text is made from many sentence patterns, place, street, person and
organisation names, so the vocabulary grows with N as real content does; it still repeats
more than real prose, so gzip sizes measured on it are a little optimistic.

Dates are relative to ``today`` (default 2026-11-23): every ``gecontroleerd`` lies before
it and questions stay open for at least 60 days after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from wijknet.content.models import Entry  # noqa: E402
from wijknet.content.writer import render_entry  # noqa: E402
from wijknet.slugs import slugify  # noqa: E402
from wijknet.taxonomy import Taxonomy, load_taxonomy  # noqa: E402

DEFAULT_TODAY = dt.date(2026, 11, 23)

# What happens, per theme: (activity noun phrase, what you do there)
THEME_ACTIVITIES: dict[str, list[tuple[str, str]]] = {
    "geld": [("geldspreekuur", "hulp bij brieven, rekeningen en toeslagen"), ("budgetcursus", "leren hoe je rondkomt met je inkomen"), ("formulierenbrigade", "samen formulieren invullen"), ("schuldhulp inloop", "een eerste stap zetten als je schulden hebt"), ("belastinghulp", "hulp bij je belastingaangifte en toeslagen"), ("administratiemaatje", "iemand die een jaar lang meekijkt met je post")],
    "armoede": [("kledingbank", "gratis kleding voor wie weinig te besteden heeft"), ("speelgoedbank", "speelgoed voor kinderen uit gezinnen met een laag inkomen"), ("stadspas-spreekuur", "uitleg over de stadspas en regelingen"), ("weggeefwinkel", "spullen halen en brengen zonder geld"), ("sociale kruidenier", "boodschappen doen voor een lage prijs")],
    "wonen": [("woonspreekuur", "vragen over huur, onderhoud en je verhuurder"), ("huurteam", "checken of je huur niet te hoog is"), ("klussendienst", "kleine reparaties in huis"), ("energiecoach", "tips om je energierekening omlaag te krijgen"), ("bewonerscommissie", "samen opkomen voor de huurders van het complex")],
    "gezondheid": [("gezondheidsmarkt", "gratis metingen en voorlichting"), ("leefstijlgroep", "samen werken aan gezond eten en meer bewegen"), ("stoppen-met-rokengroep", "steun van anderen die ook willen stoppen"), ("diabetescafe", "ervaringen delen over leven met diabetes")],
    "zorg": [("wijkzorgpunt", "vragen over zorg thuis en hulpmiddelen"), ("dagbesteding", "een zinvolle dag met activiteiten en begeleiding"), ("boodschappendienst", "vrijwilligers die boodschappen brengen"), ("huisbezoekproject", "een vrijwilliger die langskomt voor een praatje en hulp")],
    "mentale-gezondheid": [("lotgenotengroep", "praten met mensen die hetzelfde meemaken"), ("herstelwerkplaats", "werken aan je herstel in je eigen tempo"), ("inloop voor psychische klachten", "een rustige plek met een luisterend oor"), ("mindfulnesstraining", "omgaan met stress en somberheid")],
    "dementie": [("alzheimer cafe", "uitleg en gesprek over leven met dementie"), ("ontmoetingscentrum", "activiteiten voor mensen met geheugenproblemen"), ("wandelgroep bij dementie", "samen buiten bewegen in een rustig tempo"), ("geheugenspreekuur", "vragen over vergeetachtigheid bespreken")],
    "eenzaamheid": [("maatjesproject", "een vast maatje voor wie zich alleen voelt"), ("telefooncirkel", "elke ochtend even bellen met elkaar"), ("zondagsmaaltijd", "samen eten op de stille zondag"), ("buurtkamer", "een huiskamer in de buurt waar je zomaar binnenloopt")],
    "ontmoeting": [("koffieochtend", "koffie, thee en een praatje met buren"), ("buurtborrel", "buren leren kennen op een vrijdagmiddag"), ("spelletjesmiddag", "sjoelen, klaverjassen en bingo"), ("buurtfeest", "muziek, eten en activiteiten voor de hele straat"), ("inloopochtend", "zonder afspraak binnenlopen voor gezelschap")],
    "werk": [("werkcafe", "hulp bij solliciteren en je cv"), ("jobcoachspreekuur", "begeleiding naar betaald werk"), ("werkervaringsplek", "ervaring opdoen in een echte werkplaats"), ("banenmarkt", "werkgevers uit de buurt ontmoeten")],
    "veiligheid": [("buurtpreventieteam", "samen rondes lopen door de buurt"), ("buurtbemiddeling", "hulp bij ruzie of overlast met buren"), ("veiligheidsavond", "de wijkagent vertelt over inbraakpreventie"), ("whatsapp-buurtgroep", "elkaar waarschuwen bij onveilige situaties")],
    "taal": [("taalcafe", "Nederlands oefenen in een ontspannen sfeer"), ("taalmaatjesproject", "een vrijwilliger die met je Nederlands praat"), ("voorleesproject", "voorlezen aan kinderen thuis"), ("lees- en schrijfgroep", "beter leren lezen en schrijven"), ("inburgeringsspreekuur", "vragen over inburgering en het examen")],
    "opvoeding": [("oudercafe", "praten over opvoeden met andere ouders"), ("opvoedcursus", "tips over grenzen stellen en ruzie"), ("peuterochtend", "spelen en zingen met je peuter"), ("vaderavond", "vaders wisselen ervaringen uit")],
    "sport-en-bewegen": [("beweeggroep", "rustig bewegen op muziek"), ("stoelyoga", "yoga op een stoel voor iedereen"), ("wandelclub", "elke week een wandeling door de wijk"), ("buurtvoetbal", "voetballen op het pleintje"), ("zwemles voor volwassenen", "alsnog leren zwemmen"), ("fitness in het park", "sporten in de buitenlucht")],
    "cultuur": [("buurtkoor", "samen zingen zonder auditie"), ("tekenclub", "tekenen en schilderen met buurtgenoten"), ("theaterwerkplaats", "spelen, improviseren en optreden"), ("filmavond", "een film kijken en erover praten"), ("verhalenavond", "verhalen vertellen over vroeger")],
    "voeding": [("buurtmaaltijd", "samen koken en eten voor een kleine bijdrage"), ("voedselbank uitgiftepunt", "wekelijks een voedselpakket halen"), ("kookclub", "samen gezonde en goedkope recepten maken"), ("moestuin", "groenten kweken en oogsten met de buurt")],
    "mantelzorg": [("mantelzorgcafe", "even op adem komen met andere mantelzorgers"), ("respijtzorg", "iemand die de zorg even overneemt"), ("mantelzorgspreekuur", "advies over regelingen en ondersteuning"), ("verwendag voor mantelzorgers", "een dag met aandacht voor jezelf")],
    "vrijwilligerswerk": [("vrijwilligersmarkt", "ontdekken welk vrijwilligerswerk bij je past"), ("vrijwilligerscentrale", "advies over vrijwillige inzet"), ("burenhulpnetwerk", "buren helpen elkaar met kleine klusjes"), ("maatschappelijke diensttijd", "jongeren zetten zich in voor de buurt")],
    "digitale-vaardigheden": [("computerspreekuur", "hulp met je computer, tablet of smartphone"), ("digid-hulp", "samen inloggen met DigiD en formulieren invullen"), ("cursus klik en tik", "de eerste stappen op internet"), ("informatiepunt digitale overheid", "hulp bij websites van de overheid")],
    "huiselijk-geweld": [("praatgroep na geweld", "steun van vrouwen die hetzelfde meemaakten"), ("voorlichting huiselijk geweld", "signalen herkennen en de meldcode gebruiken"), ("steunpunt veilig thuis", "advies als je je thuis niet veilig voelt")],
    "verslaving": [("herstelgroep", "samen werken aan een leven zonder alcohol of drugs"), ("voorlichting gokken en gamen", "uitleg voor ouders over gameverslaving"), ("inloop verslavingszorg", "praten zonder oordeel over middelengebruik")],
}
AUDIENCE_WORDS = {
    "kinderen": "kinderen", "jongeren": "jongeren", "ouders": "ouders", "ouderen": "ouderen",
    "mantelzorgers": "mantelzorgers", "nieuwkomers": "nieuwkomers", "mensen-met-een-beperking": "mensen met een beperking",
    "vrijwilligers": "vrijwilligers", "professionals": "professionals", "iedereen": "alle buurtbewoners",
}  # fmt: skip
PLACES = ["Buurthuis", "Huis van de Wijk", "Buurtkamer", "Wijkcentrum", "Bibliotheek", "Speeltuingebouw", "Kerkzaal", "Moskee", "Sporthal", "Dienstencentrum", "Gezondheidscentrum", "Jongerencentrum", "Atelier", "Volkstuin", "Ontmoetingscentrum"]
PLACE_NAMES = ["De Meevaart", "Het Anker", "De Kolk", "Het Schakelpunt", "De Boeg", "Het Trefpunt", "De Stek", "Het Podium", "De Brug", "Het Kompas", "De Klaproos", "Het Zonnehuis", "De Eendracht", "Het Open Huis", "De Pijler", "Het Wilgenhof", "De Regenboog", "Het Koetshuis", "De Vlinder", "Het Baken"]
STREET_STEMS = ["Balistraat", "Javastraat", "Linnaeus", "Pretorius", "Kraaien", "Merel", "Lijster", "Vinken", "Reiger", "Bloemgracht", "Lindengracht", "Elandsgracht", "Hoofdweg", "Jan Evertsen", "Postjes", "Osdorper", "Meer en Vaart", "Pieter Calands", "Burgemeester De Vlugt", "Slotermeer", "Ganzenhoef", "Bijlmerdreef", "Kraaiennest", "Gooiseweg", "Wibaut", "Ferdinand Bol", "Van Woustraat", "Rijnstraat", "Maas", "Waal", "Buiksloter", "Meeuwen", "Kamperfoelie", "Zonnebloem", "Klaprozen", "Waterland", "Purmer", "Beemster", "Dapper", "Wagenaar", "Oostelijke Handels", "Cruquius", "Zeeburger", "Pampus", "Diemen", "Amstel", "Vecht", "Gein", "Holendrecht", "Reigersbos", "Bos en Lommer", "Erasmus", "Haarlemmer", "Spaarndammer", "Zaandam", "Westerpark", "Nassau", "Marnix", "Kinker", "Overtoom"]
STREET_ENDINGS = ["straat", "plein", "laan", "weg", "kade", "dreef", "hof", "park", "gracht", "dijk"]
FIRST_NAMES = ["Fatima", "Mohamed", "Anouk", "Jeroen", "Samira", "Kees", "Priya", "Youssef", "Marian", "Dennis", "Esra", "Wim", "Naima", "Bas", "Ingrid", "Rachid", "Lotte", "Kofi", "Sandra", "Hamza", "Ria", "Tom", "Aisha", "Peter", "Mei", "Joost", "Latifa", "Ruud", "Nadia", "Hans", "Soufiane", "Els", "Bram", "Gloria", "Emre", "Karin", "Ayoub", "Thea", "Daan", "Winston"]
SURNAMES = ["El Amrani", "de Vries", "Bakker", "Yilmaz", "Jansen", "Bouali", "Visser", "Mahabier", "Smit", "de Jong", "Boateng", "Mulder", "Kaya", "van Dijk", "Pinas", "Meijer", "Ouali", "de Graaf", "Tjon", "Bos", "Demir", "Vermeulen", "Asante", "Kok", "Hassan", "van der Berg", "Sewdien", "Hoekstra", "Benali", "Dekker"]
ORG_PATTERNS = ["Stichting {n}", "Vereniging {n}", "Buurtnetwerk {a}", "{a} Samen", "Bewonersgroep {a}", "Stichting Buurtwerk {a}", "{n} {a}", "Welzijn {a}", "Coöperatie {n}"]
ORG_NAMES = ["Buurtbuik", "Samen Sterk", "Het Buurtnest", "Op Eigen Kracht", "Wijkwijs", "Thuis in de Buurt", "Present", "Buurtzorg Plus", "De Verbinding", "Hand in Hand", "Zonnig Oost", "Netwerk Nabij", "Buurtgenoten", "Kansrijk", "De Zachte Kracht", "Vrienden van het Park"]
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
DAY_PARTS = ["ochtend", "middag", "avond"]
OPENERS = [
    "{Act} in {area}: {what}.",
    "Elke {day}{part} {what} bij {place}.",
    "Voor {aud} in {area}: {what}.",
    "Bij de {act} in {area} kun je terecht voor {what}.",
    "{Place} organiseert een {act} voor {aud}: {what}.",
    "Wij zoeken mensen die willen helpen bij de {act} in {area}.",
    "Kom naar de {act}: {what}, dicht bij huis in {area}.",
]
SENTENCES = [
    "Je hoeft je niet aan te melden en het is gratis.",
    "Aanmelden kan via e-mail of telefoon; we bellen je dan terug.",
    "Er zijn altijd twee ervaren vrijwilligers aanwezig.",
    "De ruimte is goed toegankelijk met een rolstoel of rollator.",
    "Neem gerust iemand mee, bijvoorbeeld je buurvrouw of een familielid.",
    "We werken samen met het buurtteam en de huisartsen in {area}.",
    "Heb je vragen? Bel of mail {first}, die het project coördineert.",
    "Het {act} bestaat sinds {year} en groeit elk jaar.",
    "De koffie en thee staan klaar vanaf {time} uur.",
    "In de schoolvakanties zijn we gesloten.",
    "We spreken Nederlands, maar er is vaak ook iemand die {lang} spreekt.",
    "Je kunt ook een keer komen kijken voordat je beslist.",
    "Voor deelnemers met een stadspas is het gratis.",
    "We zoeken nog vrijwilligers die een paar uur per week willen helpen, bijvoorbeeld met {what}.",
    "De {act} is een initiatief van bewoners uit de {street}.",
    "Professionals kunnen mensen doorverwijzen; een verwijzing is niet nodig.",
    "Na afloop is er tijd om na te praten.",
    "Wij letten op privacy: wat je vertelt, blijft tussen ons.",
    "Het programma verschilt per week, kijk op de website voor de actuele agenda.",
    "Deelnemers zeggen dat ze zich minder alleen voelen sinds ze meedoen.",
    "Samen met {org} zorgen we voor een vaste plek in de wijk.",
    "Ook {aud} uit andere buurten zijn welkom.",
    "Wie wil, kan daarna meedoen aan {act2}.",
    "Soms komt er een gastspreker, bijvoorbeeld van de GGD of de wijkagent.",
    "We houden de groep klein, zodat iedereen aandacht krijgt.",
    "Kinderen mogen mee; er is een speelhoek.",
    "De bijeenkomsten duren ongeveer anderhalf uur.",
    "Wij krijgen steun van het stadsdeel en van fondsen.",
]
LANGUAGE_NAMES = {"en": "Engels", "ar": "Arabisch", "tr": "Turks", "pl": "Pools", "es": "Spaans", "fr": "Frans", "pt": "Portugees"}


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"020 {rng.randint(200, 799)} {rng.randint(1000, 9999)}"
    return f"06 {rng.randint(12000000, 58999999)}"


def _fill(template: str, slots: dict[str, str]) -> str:
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def _entry_data(position: int, rng: random.Random, taxonomy: Taxonomy, today: dt.date) -> dict:
    kind = ("initiatief", "vraag", "activiteit", "voorziening")[rng.choices(range(4), weights=(40, 15, 25, 20))[0]]
    theme_ids = [t for t in taxonomy.themes.ids() if t in THEME_ACTIVITIES] or taxonomy.themes.ids()
    themes = rng.sample(theme_ids, rng.choice((1, 1, 2, 2, 2, 3, 3, 4)))
    audiences = rng.sample(taxonomy.audiences.ids(), rng.choice((0, 1, 1, 1, 2, 2, 3)))
    level = rng.choices(("stad", "stadsdeel", "gebied", "wijk"), weights=(4, 12, 30, 54))[0]
    candidates = [area.id for area in taxonomy.areas.of_level(level)] or taxonomy.areas.ids()
    areas = rng.sample(candidates, 1 if level == "stad" else rng.choice((1, 1, 1, 2, 3)))
    area_label = taxonomy.areas.label(areas[0])
    activities = THEME_ACTIVITIES.get(themes[0]) or [(taxonomy.themes.label(themes[0]).lower(), "meedoen in de buurt")]
    act, what = rng.choice(activities)
    act2 = rng.choice(THEME_ACTIVITIES.get(rng.choice(themes), activities))[0]
    first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    street = rng.choice(STREET_STEMS) + rng.choice(STREET_ENDINGS)
    place = f"{rng.choice(PLACES)} {rng.choice(PLACE_NAMES)}"
    org = rng.choice(ORG_PATTERNS).format(n=rng.choice(ORG_NAMES), a=area_label)
    audience_text = " en ".join(AUDIENCE_WORDS.get(a, a) for a in audiences[:2]) or "buurtbewoners"
    languages = ["nl"] + rng.sample(sorted(LANGUAGE_NAMES), rng.choice((0, 0, 1, 2)))
    slots = {
        "act": act, "Act": act, "what": what, "area": area_label, "aud": audience_text, "day": rng.choice(DAYS),
        "part": rng.choice(DAY_PARTS), "place": place, "Place": place, "first": first, "org": org, "street": street,
        "year": str(rng.randint(1995, 2025)), "time": f"{rng.randint(9, 19)}.{rng.choice(('00', '30'))}",
        "lang": LANGUAGE_NAMES.get(languages[-1], "Engels"), "act2": act2,
    }  # fmt: skip
    if kind == "vraag":
        title = rng.choice(("{Act} zoekt vrijwilligers", "Wie helpt met de {act}?", "Ruimte gezocht voor {act}", "{Act}: maatje gezocht in {area}"))
    elif kind == "activiteit":
        title = rng.choice(("{Act} op {day}", "{Act} in {area}", "Open dag {act}", "Workshop {act} {area}"))
    else:
        title = rng.choice(("{Act} {area}", "{Act} bij {place}", "{Act} {area} voor {aud}", "{Act}"))
    title = _fill(title, slots)[:90].rstrip()
    summary = _fill(rng.choice(OPENERS), slots)
    if rng.random() < 0.6:
        summary += " " + _fill(rng.choice(SENTENCES), slots)
    summary = summary[:300]
    paragraphs = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 2, 3, 4))):
        sentences = [_fill(s, slots) for s in rng.sample(SENTENCES, rng.randint(2, 5))]
        paragraphs.append(" ".join(sentences))
    data: dict = {
        "titel": title,
        "soort": kind,
        "samenvatting": summary,
        "themas": themes,
        "werkgebied": areas,
        "gecontroleerd": (today - dt.timedelta(days=rng.randint(0, 300))).isoformat(),
        "slug": "",
        "beschrijving": "\n\n".join(paragraphs),
    }
    if audiences:
        data["doelgroepen"] = audiences
    if rng.random() < 0.8:
        data["organisatie"] = org[:120]
    if kind != "voorziening" or rng.random() < 0.5:
        contact = {"naam": f"{first} {surname}"}
        handle = slugify(f"{first} {position}")
        if rng.random() < 0.8:
            contact["email"] = f"{handle}@{slugify(org)[:30].strip('-') or 'buurt'}.example"
        if rng.random() < 0.5 or "email" not in contact:
            contact["telefoon"] = _phone(rng)
        data["contact"] = contact
    if rng.random() < 0.7:
        area = taxonomy.areas.by_id[areas[0]]
        location = {"naam": place, "adres": f"{street} {rng.randint(1, 250)}", "postcode": f"{rng.randint(1011, 1109)} {rng.choice('ABCDEGHJKLMNPRTVWX')}{rng.choice('ABCDEGHJKLMNPRTVWX')}"}
        if area.centroid is not None:
            location["lat"] = round(area.centroid.lat + rng.uniform(-0.004, 0.004), 6)
            location["lon"] = round(area.centroid.lon + rng.uniform(-0.006, 0.006), 6)
        data["locatie"] = location
    if kind == "activiteit":
        start = today + dt.timedelta(days=rng.randint(-60, 180))
        data["wanneer"] = {"start": f"{start.isoformat()} {rng.randint(9, 20):02d}:{rng.choice(('00', '30'))}"}
    if kind == "vraag":
        data["verloopt"] = (today + dt.timedelta(days=rng.randint(60, 240))).isoformat()
    if rng.random() < 0.5:
        data["tijden"] = f"Elke {slots['day']} {slots['time']} - {rng.randint(12, 22)}.00 uur"
    if rng.random() < 0.4:
        data["kosten"] = rng.choice(("gratis", "€ 2,50 per keer", "vrijwillige bijdrage", "gratis met stadspas"))
    if len(languages) > 1:
        data["talen"] = languages
    return data


def generate_named_entries(
    n: int, seed: int = 1, taxonomy: Taxonomy | None = None, today: dt.date = DEFAULT_TODAY
) -> list[tuple[str, str]]:
    """``n`` pairs of (slug, file text); the slug is the file name without ``.md``."""
    taxonomy = taxonomy or load_taxonomy(REPO / "taxonomy")
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    slugs: set[str] = set()
    for position in range(n):
        data = _entry_data(position, rng, taxonomy, today)
        base = slugify(data["titel"])[:70].strip("-") or "item"
        slug = base if base not in slugs else f"{base}-{position}"
        slugs.add(slug)
        data["slug"] = slug
        pairs.append((slug, render_entry(Entry.model_validate(data))))
    return pairs


def generate_entries(n: int, seed: int = 1, taxonomy: Taxonomy | None = None, today: dt.date = DEFAULT_TODAY) -> list[str]:
    """``n`` entry file texts (front matter + description), the same for the same seed."""
    return [text for _, text in generate_named_entries(n, seed, taxonomy, today)]


def write_entries(n: int, outdir: Path, seed: int = 1, taxonomy: Taxonomy | None = None, today: dt.date = DEFAULT_TODAY) -> list[Path]:
    """Write ``n`` generated entries to ``outdir/initiatieven/<slug>.md``; returns the paths."""
    folder = Path(outdir) / "initiatieven"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug, text in generate_named_entries(n, seed, taxonomy, today):
        path = folder / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Genereer N geldige voorbeeldberichten.")
    parser.add_argument("n", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--taxonomy", type=Path, default=REPO / "taxonomy")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    args = parser.parse_args(argv)
    paths = write_entries(args.n, args.outdir, args.seed, load_taxonomy(args.taxonomy), args.date)
    print(f"{len(paths)} berichten in {args.outdir / 'initiatieven'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
