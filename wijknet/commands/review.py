"""``wijknet review``: list pending submissions; merge or reject them (local forge)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from wijknet.commands.common import date_arg
from wijknet.safe_text import escape_controls


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review",
        help="bekijk inzendingen die wachten; voeg samen of wijs af (lokale forge)",
        description="Zonder opties: een lijst van alle inzendingen die wachten, met de controle en "
        "de contactgegevens van de inzender (alleen voor moderatoren).",
    )
    parser.add_argument("--repo", default=None, help="de repository (standaard: WIJKNET_REPO of .)")
    parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="de datum van 'vandaag'")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--merge", metavar="ID", help="voeg inzending ID samen met de hoofdbranch")
    action.add_argument("--reject", metavar="ID", help="wijs inzending ID af (gebruik ook --reason)")
    parser.add_argument("--reason", metavar="TEKST", help="waarom de inzending is afgewezen")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from wijknet.content.models import ValidationContext
    from wijknet.project import Project
    from wijknet.submissions.review import LocalReview, ReviewError, spool_items, today_for
    from wijknet.submissions.settings import ServiceConfigError, ServiceSettings
    from wijknet.submissions.spool import Spool

    environ = dict(os.environ)
    if args.repo:
        environ["WIJKNET_REPO"] = args.repo
    if environ.get("WIJKNET_FORGE", "").strip().lower() == "github":
        # reviewing reads the spool only: no token needed
        environ.setdefault("GITHUB_TOKEN", "-")
        environ.setdefault("GITHUB_REPOSITORY", "-/-")
    try:
        settings = ServiceSettings.from_env(environ)
    except ServiceConfigError as error:
        print(f"wijknet review: {error}", file=sys.stderr)
        return 2
    project = Project.at(settings.repo)
    site = project.load_settings()
    spool = Spool(settings.spool) if Path(settings.spool).exists() else None
    if args.reject and not args.reason:
        print("wijknet review: geef bij --reject ook --reason TEKST", file=sys.stderr)
        return 2
    if settings.forge == "github":
        if args.merge or args.reject:
            print("wijknet review: samenvoegen en afwijzen gaat bij GitHub via de pull request", file=sys.stderr)
            return 2
        items = spool_items(spool) if spool else []
        return _print(items, args.format)
    review = LocalReview(settings.repo, site.content_dir, settings.base_branch or site.branch, spool)
    try:
        if args.merge:
            commit = review.merge(args.merge)
            print(f"Inzending {args.merge} samengevoegd ({commit[:10]}).")
            return 0
        if args.reject:
            branch = review.reject(args.reject, args.reason)
            print(f"Inzending {args.reject} afgewezen; branch {branch} verwijderd. Reden: {args.reason}")
            return 0
    except ReviewError as error:
        print(f"wijknet review: {error}", file=sys.stderr)
        return 1
    today = today_for(site.timezone, args.date or settings.today)
    context = ValidationContext(taxonomy=project.load_taxonomy(), settings=site, today=today)
    return _print(review.pending(context), args.format)


def _print(items, fmt: str) -> int:
    if fmt == "json":
        data = [
            {
                "id": item.id,
                "branch": item.branch,
                "slug": item.slug,
                "title": item.title,
                "action": item.action,
                "status": item.status,
                "valid": item.valid,
                "problems": [problem.as_dict("nl") for problem in item.problems],
                "submitter": item.submitter,
                "url": item.url,
                "error": item.error,
                "failure": item.failure,
                "attempts": item.attempts,
            }
            for item in items
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return 0
    if not items:
        print("Er wachten geen inzendingen.")
        return 0
    # Everything shown comes from submissions: control characters are printed escaped, so
    # no title can move the cursor, ring the bell or hide text in a moderator's terminal.
    safe = escape_controls
    for item in items:
        verdict = "geldig" if item.valid else f"{len(item.problems)} probleem/problemen"
        where = "nog geen branch" if item.status in ("ontvangen", "fout") else item.branch
        print(f"{safe(item.id)}  {safe(where)}  [{item.action}, {item.status}, {verdict}]")
        print(f"    {safe(item.title)}")
        if item.url:
            print(f"    {safe(item.url)}")
        if item.error:
            kind = {"tijdelijk": "tijdelijk, wordt opnieuw geprobeerd" if item.status == "ontvangen" else "tijdelijk, opgegeven",
                    "instelling": "instelling van de service", "blijvend": "blijvend: wordt niet opnieuw geprobeerd"}.get(item.failure, item.failure or "?")
            print(f"    ! publiceren mislukt na {item.attempts} poging(en) ({kind}): {safe(item.error)}")
        for problem in item.problems:
            print(f"    ! {safe(problem.key or '-')}: {safe(problem.message('nl'))}")
        if item.submitter:
            contact = ", ".join(f"{key}: {value}" for key, value in sorted(item.submitter.items()))
            print(f"    inzender (alleen voor moderatoren): {safe(contact)}")
    print(f"{len(items)} inzending(en) wachten. Samenvoegen: wijknet review --merge ID; afwijzen: --reject ID --reason TEKST")
    return 0
