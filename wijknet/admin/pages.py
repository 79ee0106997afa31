"""Provider: the moderators' desk, ``admin/``.

``admin/index.html`` (its own Content-Security-Policy: Decap needs more than the rest of
the site allows), ``admin/config.yml`` and ``admin/desk.json`` (:mod:`wijknet.admin.config`),
made anew on every build. Decap's bundle and the YAML library the desk's script uses are
browser libraries from ``node_modules``, copied by the build under ``static/vendor/``
(:data:`wijknet.build.VENDOR_FOLDERS`); only this page loads them.
"""

from __future__ import annotations

import json
from typing import Iterable

from wijknet.admin.config import decap_config, desk_facts, render_config
from wijknet.engine.format import admin_content_security_policy
from wijknet.engine.model import BuildContext, File, Page
from wijknet.engine.registry import Provider
from wijknet.settings import local_backend_url

ADMIN_PAGE = "admin/index.html"
CONFIG_PATH = "admin/config.yml"
FACTS_PATH = "admin/desk.json"
TEMPLATE = "admin.html"


def provide(build: BuildContext) -> Iterable[Page | File]:
    """The desk's page, its Decap configuration and the facts its script reads."""
    catalog = build.catalog
    local_backend = local_backend_url()
    config = decap_config(catalog.taxonomy, catalog.settings, local_backend)
    yield File(CONFIG_PATH, render_config(config).encode("utf-8"))
    facts = desk_facts(catalog.taxonomy, catalog.settings)
    yield File(FACTS_PATH, (json.dumps(facts, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8"))
    yield Page(ADMIN_PAGE, TEMPLATE, {"admin_csp": admin_content_security_policy(local_backend)})


PROVIDER = Provider("admin", provide)
"""The moderators' desk (admin/)."""
