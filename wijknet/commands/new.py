"""``wijknet new``: ask a few questions and write a valid entry file.

Every answer is checked at once with the same models as ``wijknet validate``; when it is not
valid, the validator's own message is shown (with its "bedoel je ...?" suggestions) and the
question is asked again. The file is written with the shared writer and never overwrites one.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from wijknet.commands.common import add_project_options, build_date, print_problems, project_from, load_city


class _EndOfInput(Exception):
    """stdin ended before every question was answered."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("new", help="beantwoord een paar vragen en krijg een geldig bestand")
    add_project_options(parser)
    parser.set_defaults(handler=run)


@dataclass
class _Session:
    """The questions and answers of one run; holds the streams so tests can pipe them."""

    context: Any
    stdin: TextIO
    stdout: TextIO
    lang: str = "nl"
    data: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if line == "":
            raise _EndOfInput
        return line.rstrip("\r\n").strip()

    def problems_for(self, candidate: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
        """Dutch messages for problems of ``keys`` only (other fields may not be asked yet)."""
        from pydantic import ValidationError

        from wijknet.content.models import Entry
        from wijknet.content.validation import pydantic_problems

        try:
            Entry.model_validate({**candidate, "slug": "nieuw-bericht"}, context=self.context)
        except ValidationError as error:
            found = pydantic_problems(error, "", None)
            return [p.message(self.lang) for p in found if any(_under(p.key, key) for key in keys)]
        return []

    def ask(
        self,
        key: str,
        question: str,
        *,
        required: bool = True,
        convert: Callable[[str], Any] = lambda text: text,
        target: tuple[str, ...] | None = None,
        also: tuple[str, ...] = (),
    ) -> Any:
        """Ask until the answer is valid; an empty answer skips an optional question.

        ``also`` names keys whose problems this answer can cause too (``wanneer`` for
        an end before the start).
        """
        path = target or (key,)
        while True:
            answer = self.read(f"{question}{'' if required else ' (mag leeg blijven)'}: ")
            if not answer:
                if required:
                    self.say("  Dit veld is verplicht.")
                    continue
                return None
            candidate = _with(self.data, path, convert(answer))
            messages = self.problems_for(candidate, (".".join(path), *also))
            if not messages:
                self.data = candidate
                return convert(answer)
            for message in messages:
                self.say(f"  {message}")


def _under(found: str, key: str) -> bool:
    return found == key or found.startswith(key + ".")


def _with(data: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    result = dict(data)
    if len(path) == 1:
        result[path[0]] = value
        return result
    inner = dict(result.get(path[0]) or {})
    inner[path[1]] = value
    result[path[0]] = inner
    return result


def _id_list(text: str) -> list[str]:
    return [part for part in re.split(r"[,\s]+", text.strip().lower()) if part]


def _choices(vocabulary) -> str:
    return ", ".join(term.id for term in vocabulary)


def _free_slug(directory: Path, title: str) -> str:
    """A slug from the title that no entry file uses, in any subfolder (as the web form picks one)."""
    from wijknet.content.catalog import entry_files
    from wijknet.submissions.intake import base_slug
    from wijknet.submissions.spool import next_free_slug

    # slugs are compared without case, as duplicate_slug_problems does
    return next_free_slug(base_slug(title), {path.stem.lower() for path in entry_files(directory)})


def interview(session: _Session) -> None:
    """Ask every question; fills ``session.data`` with valid answers."""
    from wijknet.content.rules import LIMITS, ONE_OF_REQUIRED, kind_rule

    def span(key: str) -> str:
        return f"{LIMITS[key].low} tot {LIMITS[key].high}"

    taxonomy = session.context.taxonomy
    session.say("Een nieuw bericht. Beantwoord de vragen; Ctrl-D stopt zonder iets te schrijven.")
    session.ask("titel", f"Titel ({span('titel')} tekens)")
    session.say(f"Soorten: {_choices(taxonomy.kinds)}")
    kind = session.ask("soort", "Soort", convert=lambda text: text.strip().lower())
    session.ask("samenvatting", f"Samenvatting in een of twee zinnen ({span('samenvatting')} tekens)")
    session.say(f"Thema's: {_choices(taxonomy.themes)}")
    session.ask("themas", f"Thema's ({span('themas')}, met komma's ertussen)", convert=_id_list)
    session.say(f"Doelgroepen: {_choices(taxonomy.audiences)}")
    session.ask("doelgroepen", "Doelgroepen (met komma's ertussen)", required=False, convert=_id_list)
    session.ask(
        "werkgebied",
        f"Werkgebied: buurt, wijk, stadsdeel of de hele stad ({span('werkgebied')}, met komma's ertussen)",
        convert=_id_list,
    )
    session.ask("organisatie", "Organisatie", required=False)
    rule = kind_rule(kind)
    needs_contact = "contact" in rule.required
    while True:
        session.say("Contact: " + ("geef minstens een e-mailadres, telefoonnummer of website." if needs_contact else "mag leeg blijven."))
        session.ask("naam", "Naam van de contactpersoon", required=False, target=("contact", "naam"))
        session.ask("email", "E-mailadres", required=False, target=("contact", "email"))
        session.ask("telefoon", "Telefoonnummer", required=False, target=("contact", "telefoon"))
        session.ask("website", "Website (https://...)", required=False, target=("contact", "website"))
        contact = session.data.get("contact") or {}
        if any(contact.get(key) for key in ONE_OF_REQUIRED["contact"].keys):
            break
        if not needs_contact:
            session.data.pop("contact", None)
            break
        session.data.pop("contact", None)
        session.say("  Geef minstens een e-mailadres, telefoonnummer of website.")
    session.ask("naam", "Naam van de plek, bijvoorbeeld Buurthuis De Meevaart", required=False, target=("locatie", "naam"))
    session.ask("adres", "Adres (straat en huisnummer)", required=False, target=("locatie", "adres"))
    session.ask("postcode", "Postcode", required=False, target=("locatie", "postcode"))
    if "wanneer" not in rule.forbidden:
        session.ask("start", "Begin (2027-01-15 of 2027-01-15 19:30)", target=("wanneer", "start"))
        session.ask("einde", "Einde", required=False, target=("wanneer", "einde"), also=("wanneer",))
    if "verloopt" not in rule.forbidden:
        session.ask("verloopt", "Tot wanneer staat de vraag open (2027-03-01)", required=False)
    session.ask("tijden", "Vaste tijden, bijvoorbeeld: elke donderdag 17.30 - 19.30 uur", required=False)
    session.ask("kosten", "Kosten, bijvoorbeeld: gratis", required=False)
    session.say("Beschrijving in Markdown (meerdere regels; sluit af met een regel met alleen een punt '.'):")
    lines: list[str] = []
    while True:
        line = session.stdin.readline()
        if line == "" or line.rstrip("\r\n") == ".":
            break
        lines.append(line.rstrip("\r\n"))
    session.data["beschrijving"] = "\n".join(lines).strip("\n")


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from pydantic import ValidationError

    from wijknet.content.models import Entry, ValidationContext
    from wijknet.content.validation import pydantic_problems, validate_file
    from wijknet.content.writer import render_entry

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    project = project_from(args)
    city = load_city(project, "text", args.lang)
    if city is None:
        return 1
    settings, taxonomy = city
    today = build_date(args, settings.timezone)
    context = ValidationContext(taxonomy=taxonomy, settings=settings, today=today)
    session = _Session(context=context, stdin=stdin, stdout=stdout, lang=args.lang, data={"gecontroleerd": today.isoformat()})
    try:
        interview(session)
    except (_EndOfInput, KeyboardInterrupt):
        session.say("\nGestopt: er is geen bestand geschreven.")
        return 1
    directory = project.content
    directory.mkdir(parents=True, exist_ok=True)
    slug = _free_slug(directory, session.data["titel"])
    try:
        entry = Entry.model_validate({**session.data, "slug": slug}, context=context)
    except ValidationError as error:  # e.g. a description over the limit: nothing is written
        print_problems(pydantic_problems(error, "-", None), "text", args.lang, out=stdout)
        return 1
    path = directory / f"{slug}.md"
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(render_entry(entry))
    except FileExistsError:
        session.say(f"{path} bestaat al; er is niets overschreven.")
        return 1
    result = validate_file(path, context)
    if result.problems:  # the writer and the loader disagree: keep the file, say what is wrong
        print_problems(result.problems, "text", args.lang, out=stdout)
        return 1
    session.say(f"Geschreven: {path}")
    session.say("Controleer het bestand en maak er een pull request van, of stuur het naar de redactie.")
    return 0
