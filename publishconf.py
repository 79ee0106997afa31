"""Pelican settings for production: ``pelican content -s publishconf.py -o output``.

Same as development, plus the absolute site URL from ``site.yaml`` and a clean output folder.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403
from pelicanconf import _HERE  # noqa: E402

from wijknet.settings import load_settings  # noqa: E402

_SITE = load_settings(__import__("pathlib").Path(os.environ.get("WIJKNET_SETTINGS") or os.path.join(_HERE, "site.yaml")))

SITEURL = _SITE.site_url.rstrip("/")
SITENAME = _SITE.site_name
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
