"""Problem messages in plain Dutch (B1) and English, keyed by problem code.

Each message says what is wrong and what would be valid, so a volunteer can fix it.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("nl", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # reading the file
    "file_too_large": {
        "nl": "Het bestand is te groot ({size} bytes). Het mag maximaal {max} bytes zijn. Maak de beschrijving korter.",
        "en": "The file is too large ({size} bytes). At most {max} bytes are allowed. Shorten the description.",
    },
    "not_utf8": {
        "nl": "Het bestand is niet opgeslagen als UTF-8 (vreemd teken {byte}). Sla het op als UTF-8.",
        "en": "The file is not saved as UTF-8 (unexpected byte {byte}). Save it as UTF-8.",
    },
    "special_character": {
        "nl": "Hier staat een teken dat niet mag: {char} ({name}). Haal het weg.",
        "en": "There is a character here that is not allowed: {char} ({name}). Remove it.",
    },
    "unreadable": {"nl": "Het bestand kan niet gelezen worden: {detail}.", "en": "The file cannot be read: {detail}."},
    "no_front_matter": {
        "nl": "Het bestand moet beginnen met een regel '---', dan de velden, en dan weer een regel '---'.",
        "en": "The file must start with a line '---', then the fields, then another line '---'.",
    },
    "unterminated_front_matter": {
        "nl": "De velden zijn niet afgesloten: zet na het laatste veld een regel met alleen '---'.",
        "en": "The fields are not closed: put a line with only '---' after the last field.",
    },
    "not_a_mapping": {
        "nl": "Tussen de twee '---'-regels moeten velden staan, zoals 'titel: ...' (gevonden: {found}).",
        "en": "Between the two '---' lines there must be fields such as 'titel: ...' (found: {found}).",
    },
    "yaml_syntax": {
        "nl": "De velden kunnen niet gelezen worden ({detail}). Controleer dubbele punten, inspringing en aanhalingstekens.",
        "en": "The fields cannot be read ({detail}). Check colons, indentation and quotes.",
    },
    "yaml_colon": {
        "nl": "Er staat een dubbele punt (:) midden in een waarde. Zet de hele waarde tussen aanhalingstekens, bijvoorbeeld: samenvatting: \"Let op: ...\".",
        "en": "There is a colon (:) inside a value. Put the whole value in quotes, for example: samenvatting: \"Let op: ...\".",
    },
    "yaml_tab": {
        "nl": "Er staat een tab in de velden. Gebruik spaties om in te springen.",
        "en": "There is a tab among the fields. Use spaces to indent.",
    },
    "yaml_open_quote": {
        "nl": "Hier begint tekst met een aanhalingsteken dat niet wordt gesloten. Zet aan het eind hetzelfde aanhalingsteken.",
        "en": "Text starting with a quote here is never closed. Put the same quote mark at the end.",
    },
    "yaml_anchor": {
        "nl": "Ankers (&naam) zijn niet toegestaan. Schrijf de waarde gewoon uit.",
        "en": "Anchors (&name) are not allowed. Write the value out in full.",
    },
    "yaml_alias": {
        "nl": "Verwijzingen (*naam) zijn niet toegestaan. Schrijf de waarde gewoon uit.",
        "en": "Aliases (*name) are not allowed. Write the value out in full.",
    },
    "yaml_tag": {
        "nl": "Labels zoals '{tag}' zijn niet toegestaan. Haal het woord met ! ervoor weg.",
        "en": "Tags such as '{tag}' are not allowed. Remove the word starting with !.",
    },
    "yaml_too_deep": {
        "nl": "De velden zijn te diep genest (meer dan {max} niveaus).",
        "en": "The fields are nested too deeply (more than {max} levels).",
    },
    "yaml_too_many": {"nl": "Er staan veel te veel waarden in dit bestand.", "en": "This file holds far too many values."},
    "yaml_complex_key": {
        "nl": "Een veldnaam moet gewone tekst zijn.",
        "en": "A field name must be plain text.",
    },
    "yaml_duplicate_key": {
        "nl": "Dit veld staat er twee keer (ook op regel {first_line}). Houd er één over.",
        "en": "This field appears twice (also on line {first_line}). Keep one.",
    },
    "reserved_key": {
        "nl": "'{key}' hoort niet tussen de velden. De beschrijving komt onder de tweede '---'-regel; de slug is de bestandsnaam.",
        "en": "'{key}' does not belong among the fields. The description goes below the second '---' line; the slug is the file name.",
    },
    # the file name and slug
    "bad_slug": {
        "nl": "De bestandsnaam '{value}' is geen geldige slug: gebruik 3 tot 80 kleine letters a-z, cijfers en losse streepjes, bijvoorbeeld '{suggestion}.md'.",
        "en": "The file name '{value}' is not a valid slug: use 3 to 80 lower-case letters a-z, digits and single hyphens, e.g. '{suggestion}.md'.",
    },
    "duplicate_slug": {
        "nl": "De slug '{value}' wordt ook gebruikt door {other}. Elke slug moet uniek zijn: kies een andere bestandsnaam.",
        "en": "The slug '{value}' is also used by {other}. Every slug must be unique: choose another file name.",
    },
    # fields
    "missing": {"nl": "Dit veld is verplicht.", "en": "This field is required."},
    "empty_value": {
        "nl": "Dit veld is leeg, maar het is verplicht. Vul het in.",
        "en": "This field is empty but required. Fill it in.",
    },
    "extra_forbidden": {
        "nl": "'{key}' is geen bekend veld.{hint}",
        "en": "'{key}' is not a known field.{hint}",
        "nl_form": "'{key}' is geen veld van dit formulier.",
        "en_form": "'{key}' is not a field of this form.",
    },
    "did_you_mean": {"nl": " Bedoel je {suggestions}?", "en": " Did you mean {suggestions}?"},
    "allowed_keys": {"nl": " Toegestaan zijn: {allowed}.", "en": " Allowed are: {allowed}."},
    "string_too_short": {
        "nl": "Te kort: gebruik minstens {min_length} tekens.",
        "en": "Too short: use at least {min_length} characters.",
    },
    "string_too_long": {
        "nl": "Te lang: gebruik maximaal {max_length} tekens.",
        "en": "Too long: use at most {max_length} characters.",
    },
    "too_short": {
        "nl": "Geef er minstens {min_length}.",
        "en": "Give at least {min_length}.",
    },
    "too_long": {
        "nl": "Te veel: maximaal {max_length}.",
        "en": "Too many: at most {max_length}.",
    },
    "string_type": {"nl": "Hier hoort tekst.", "en": "This must be text."},
    "list_type": {
        "nl": "Hier hoort een lijst, bijvoorbeeld [a, b].",
        "en": "This must be a list, for example [a, b].",
    },
    "model_type": {
        "nl": "Hier horen velden onder elkaar (ingesprongen), zoals in het voorbeeld.",
        "en": "This must hold indented fields, as in the example.",
        "nl_form": 'Vul dit deel van het formulier opnieuw in.',
        "en_form": 'Fill in this part of the form again.',
    },
    "float_parsing": {"nl": "Hier hoort een getal, zoals 52.3652.", "en": "This must be a number, like 52.3652."},
    "float_type": {"nl": "Hier hoort een getal, zoals 52.3652.", "en": "This must be a number, like 52.3652."},
    "greater_than_equal": {"nl": "Het getal moet minstens {ge} zijn.", "en": "The number must be at least {ge}."},
    "less_than_equal": {"nl": "Het getal mag hoogstens {le} zijn.", "en": "The number must be at most {le}."},
    "literal_error": {"nl": "Kies één van: {expected}.", "en": "Choose one of: {expected}."},
    "date_format": {
        "nl": "'{value}' is geen datum. Schrijf een datum als 2026-11-01 (jaar-maand-dag).",
        "en": "'{value}' is not a date. Write a date as 2026-11-01 (year-month-day).",
    },
    "date_from_datetime_parsing": {
        "nl": "Dit is geen bestaande datum. Schrijf een datum als 2026-11-01 (jaar-maand-dag).",
        "en": "This is not a real date. Write a date as 2026-11-01 (year-month-day).",
    },
    "date_parsing": {
        "nl": "Dit is geen bestaande datum. Schrijf een datum als 2026-11-01 (jaar-maand-dag).",
        "en": "This is not a real date. Write a date as 2026-11-01 (year-month-day).",
    },
    "date_type": {
        "nl": "Hier hoort een datum als 2026-11-01 (jaar-maand-dag).",
        "en": "This must be a date like 2026-11-01 (year-month-day).",
    },
    "moment_format": {
        "nl": "'{value}' is geen datum of tijd. Schrijf 2027-01-15 of 2027-01-15 19:30.",
        "en": "'{value}' is not a date or time. Write 2027-01-15 or 2027-01-15 19:30.",
    },
    "one_line": {"nl": "Dit moet op één regel passen.", "en": "This must fit on one line."},
    # the character rule (wijknet/characters.py): {name} is one of the character_* names below
    "bad_character": {
        "nl": "'{key}' bevat een teken dat niet mag: {char} ({name}). Haal het weg.",
        "en": "'{key}' contains a character that is not allowed: {char} ({name}). Remove it.",
        "nl_form": "{label} bevat een teken dat niet mag: {char} ({name}). Je ziet het meestal niet: typ de tekst opnieuw.",
        "en_form": "{label} contains a character that is not allowed: {char} ({name}). It is usually invisible: type the text again.",
    },
    "character_nul": {"nl": "nulteken", "en": "null character"},
    "character_bel": {"nl": "bel-teken", "en": "bell character"},
    "character_backspace": {"nl": "backspace-teken", "en": "backspace character"},
    "character_vertical_tab": {"nl": "verticale tab", "en": "vertical tab"},
    "character_form_feed": {"nl": "nieuwe-pagina-teken", "en": "form feed"},
    "character_escape": {"nl": "escape-teken", "en": "escape character"},
    "character_c0": {"nl": "onzichtbaar stuurteken", "en": "invisible control character"},
    "character_delete": {"nl": "wisteken", "en": "delete character"},
    "character_next_line": {"nl": "volgende-regel-teken NEL", "en": "next line character NEL"},
    "character_c1": {"nl": "onzichtbaar stuurteken", "en": "invisible control character"},
    "character_surrogate": {"nl": "losse helft van een teken", "en": "lone surrogate"},
    "character_noncharacter": {"nl": "geen geldig teken", "en": "noncharacter"},
    "duplicate_item": {"nl": "'{value}' staat er twee keer in.", "en": "'{value}' appears twice."},
    "unknown_kinds": {
        "nl": '"{value}" is geen soort.{hint}',
        "en": '"{value}" is not a kind.{hint}',
    },
    "unknown_themes": {
        "nl": '"{value}" is geen thema.{hint}',
        "en": '"{value}" is not a theme.{hint}',
    },
    "unknown_audiences": {
        "nl": '"{value}" is geen doelgroep.{hint}',
        "en": '"{value}" is not a target group.{hint}',
    },
    "unknown_areas": {
        "nl": '"{value}" is geen bekend gebied.{hint}',
        "en": '"{value}" is not a known area.{hint}',
    },
    "see_taxonomy": {
        "nl": " Kijk in taxonomy/{file} voor de geldige namen.",
        "en": " See taxonomy/{file} for the valid ids.",
        "nl_form": '',
        "en_form": '',
    },
    "language": {
        "nl": "'{value}' is geen taalcode. Gebruik codes van twee letters, zoals nl, en, ar, tr.",
        "en": "'{value}' is not a language code. Use two-letter ISO 639-1 codes such as nl, en, ar, tr.",
    },
    "email": {
        "nl": "'{value}' is geen geldig e-mailadres. Voorbeeld: info@buurthuis.nl.",
        "en": "'{value}' is not a valid e-mail address. Example: info@buurthuis.nl.",
    },
    "phone": {
        "nl": "'{value}' is geen geldig telefoonnummer. Voorbeeld: 020 123 4567 of +31 6 12345678.",
        "en": "'{value}' is not a valid phone number. Example: 020 123 4567 or +31 6 12345678.",
    },
    "url": {
        "nl": "'{value}' is geen geldig webadres. Het moet beginnen met https:// of http://.",
        "en": "'{value}' is not a valid web address. It must start with https:// or http://.",
    },
    "contact_empty": {
        "nl": "Geef minstens een e-mailadres, telefoonnummer of website.",
        "en": "Give at least an e-mail address, phone number or website.",
    },
    "postcode": {
        "nl": "'{value}' is geen Nederlandse postcode. Schrijf vier cijfers en twee letters, zoals 1094 JN.",
        "en": "'{value}' is not a Dutch postcode. Write four digits and two letters, like 1094 JN.",
    },
    "lat_lon_pair": {
        "nl": "Geef lat en lon allebei, of geen van beide.",
        "en": "Give both lat and lon, or neither.",
    },
    "outside_city": {
        "nl": "Deze plek ligt buiten {city} ({box}). Controleer lat en lon; zijn ze misschien omgewisseld?",
        "en": "This place lies outside {city} ({box}). Check lat and lon; are they swapped?",
    },
    "end_before_start": {
        "nl": "Het einde ligt voor het begin. Controleer de datums.",
        "en": "The end is before the start. Check the dates.",
    },
    "date_in_future": {
        "nl": "De datum {value} ligt in de toekomst (vandaag is {today}). Vul de dag in waarop je het hebt gecontroleerd.",
        "en": "The date {value} is in the future (today is {today}). Use the day you checked the entry.",
    },
    "contact_required": {
        "nl": "Een {kind} heeft contactgegevens nodig: voeg 'contact' toe met een e-mailadres, telefoonnummer of website.",
        "en": "A {kind} needs contact details: add 'contact' with an e-mail address, phone number or website.",
        "nl_form": 'Een {kind} heeft contactgegevens nodig: vul een e-mailadres, telefoonnummer of website in.',
        "en_form": 'A {kind} needs contact details: fill in an e-mail address, phone number or website.',
    },
    "when_required": {
        "nl": "Een activiteit heeft een datum nodig: voeg 'wanneer' toe met 'start' (en eventueel 'einde').",
        "en": "An activity needs a date: add 'wanneer' with 'start' (and optionally 'einde').",
        "nl_form": 'Een activiteit heeft een datum nodig: vul in wanneer het begint.',
        "en_form": 'An activity needs a date: fill in when it starts.',
    },
    "when_not_allowed": {
        "nl": "'wanneer' is alleen voor activiteiten, niet voor een {kind}. Gebruik 'tijden' voor vaste tijden, of maak er een activiteit van.",
        "en": "'wanneer' is only for activities, not for a {kind}. Use 'tijden' for regular hours, or make it an activity.",
        "nl_form": "Een datum hoort alleen bij een activiteit, niet bij een {kind}. Gebruik 'Tijden' voor vaste tijden, of kies de soort activiteit.",
        "en_form": "A date belongs only to an activity, not to a {kind}. Use 'Tijden' for regular hours, or choose the kind activity.",
    },
    "expires_not_allowed": {
        "nl": "'verloopt' is alleen voor vragen, niet voor een {kind}. Haal het weg.",
        "en": "'verloopt' is only for questions, not for a {kind}. Remove it.",
        "nl_form": "'Verloopt' hoort alleen bij een vraag, niet bij een {kind}. Laat het leeg.",
        "en_form": "'Verloopt' belongs only to a question, not to a {kind}. Leave it empty.",
    },
    "description_too_long": {
        "nl": "De beschrijving is te lang ({length} tekens). Maximaal {max} tekens.",
        "en": "The description is too long ({length} characters). At most {max} characters.",
    },
    "valid": {"nl": "Alles in orde: {count} bestanden gecontroleerd.", "en": "All valid: {count} files checked."},
    "summary_problems": {
        "nl": "{problems} problemen in {files} van {count} bestanden.",
        "en": "{problems} problems in {files} of {count} files.",
    },
    # taxonomy files
    "taxonomy_not_a_list": {
        "nl": "Dit bestand moet een lijst van termen zijn ('- id: ...').",
        "en": "This file must be a list of terms ('- id: ...').",
    },
    "taxonomy_invalid": {"nl": "Ongeldige term: {detail}.", "en": "Invalid term: {detail}."},
    "taxonomy_duplicate_id": {"nl": "Het id '{value}' staat er twee keer in.", "en": "The id '{value}' appears twice."},
    "taxonomy_one_city": {
        "nl": "Er moet precies één gebied met niveau 'stad' zijn (gevonden: {count}).",
        "en": "There must be exactly one area of level 'stad' (found: {count}).",
    },
    "taxonomy_bad_parent": {
        "nl": "Gebied '{value}' heeft een onbekende of ongeldige ouder '{parent}'.",
        "en": "Area '{value}' has an unknown or invalid parent '{parent}'.",
    },
    "taxonomy_empty": {"nl": "De taxonomie is leeg.", "en": "The taxonomy is empty."},
    "value_error": {"nl": "Ongeldige waarde: {error}.", "en": "Invalid value: {error}."},
}

GENERIC = {"nl": "Ongeldige waarde ({detail}).", "en": "Invalid value ({detail})."}


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return ""


def template_for(code: str, lang: str, audience: str = "file") -> str:
    """The message template; people using the web form get texts without file jargon."""
    lang = lang if lang in LANGUAGES else "nl"
    texts = MESSAGES.get(code, GENERIC)
    if audience == "form" and f"{lang}_form" in texts:
        return texts[f"{lang}_form"]
    return texts[lang]


def render(code: str, lang: str, params: dict[str, Any] | None = None, audience: str = "file") -> str:
    """The message for ``code`` in ``lang`` for ``audience`` ("file" or "form")."""
    lang = lang if lang in LANGUAGES else "nl"
    template = template_for(code, lang, audience)
    values = _Defaulting({key: "" if value is None else value for key, value in (params or {}).items()})
    if code not in MESSAGES and "detail" not in values:
        values["detail"] = code
    return template.format_map(values)
