"""``wijknet submissions``: run the submission service (settings from the environment)."""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "submissions",
        help="start de inzendingendienst (het webformulier maakt een branch of pull request)",
        description="Instellingen komen uit de omgeving: WIJKNET_FORGE (local|github), WIJKNET_REPO, "
        "GITHUB_REPOSITORY, GITHUB_TOKEN, WIJKNET_RATE_LIMIT (N/SECONDEN), WIJKNET_ALLOWED_ORIGINS, "
        "WIJKNET_SPOOL, WIJKNET_CONTACT_IN_PR, WIJKNET_MIN_FILL_SECONDS, WIJKNET_FORM_SECRET, WIJKNET_FORM_MAX_HOURS. "
        "Zie docs/deploy.md.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8001, help="poort (standaard: 8001)")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from wijknet.submissions.app import create_app
    from wijknet.submissions.settings import ServiceConfigError, ServiceSettings

    try:
        settings = ServiceSettings.from_env(os.environ)
        app = create_app(settings)
    except ServiceConfigError as error:
        print(f"wijknet submissions: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    print(f"Inzendingen: http://{args.host}:{args.port}/api/inzendingen (forge: {settings.forge})", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0
