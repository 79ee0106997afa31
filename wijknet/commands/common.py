"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Iterable

from wijknet.content import messages
from wijknet.problems import setup_problems  # noqa: F401  (used by the commands)
from wijknet.project import Project, today_in
from wijknet.settings import SettingsError
from wijknet.taxonomy import TaxonomyError

if TYPE_CHECKING:
    from wijknet.content.validation import Problem


def date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is geen datum (JJJJ-MM-DD)") from None


def add_project_options(parser: argparse.ArgumentParser, date: bool = True) -> None:
    parser.add_argument("--content", metavar="DIR", help="map met de inhoud (standaard: content)")
    parser.add_argument("--taxonomy", metavar="DIR", help="map met de taxonomie (standaard: taxonomy)")
    parser.add_argument("--settings", metavar="FILE", help="site-instellingen (standaard: site.yaml)")
    parser.add_argument("--root", metavar="DIR", default=".", help="de map van de site (standaard: .)")
    if date:
        parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="de datum van 'vandaag'")
    parser.add_argument("--lang", choices=messages.LANGUAGES, default="nl", help="taal van de meldingen")


def project_from(args: argparse.Namespace) -> Project:
    return Project.at(args.root, args.content, args.taxonomy, args.settings)


def build_date(args: argparse.Namespace, timezone: str) -> dt.date:
    return args.date or today_in(timezone)


def load_city(project: Project, fmt: str = "text", lang: str = "nl", out=None):
    """The city's settings and taxonomy, or None after printing what is wrong with them."""
    try:
        return project.load_settings(), project.load_taxonomy()
    except (SettingsError, TaxonomyError) as error:
        print_problems(setup_problems(error), fmt, lang, out=out or sys.stdout)
        return None


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def print_problems(problems: Iterable[Problem], fmt: str, lang: str, out=None) -> None:
    out = out or sys.stdout  # looked up at call time, so a replaced stdout is honoured
    problems = list(problems)
    if fmt == "json":
        json.dump([p.as_dict(lang) for p in problems], out, ensure_ascii=False, indent=2, sort_keys=True)
        out.write("\n")
        return
    for problem in problems:
        message = problem.message(lang)
        if fmt == "github":
            title = problem.key or "bestand"
            out.write(
                f"::error file={_escape_property(problem.file)},line={problem.line},"
                f"title={_escape_property(title)}::{_escape_data(message)}\n"
            )
        else:
            out.write(f"{problem.file}:{problem.line}: {problem.key or '-'}: {message}\n")
