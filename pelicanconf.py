"""Pelican settings for a wijknet site: only what a site owner may change.

The city (name, URL, timezone of the data, submission service) lives in ``site.yaml`` and
``taxonomy/``; the entries become pages through the wijknet plugin, which also sets the
Pelican settings it needs itself (see ``plugins/wijknet_pelican/settings.py``). News
articles go in ``content/nieuws/``.

``wijknet build`` and ``pelican content -s pelicanconf.py -o output`` take the same path.
Environment variables: WIJKNET_CONTENT, WIJKNET_TAXONOMY, WIJKNET_SETTINGS, WIJKNET_DATE
(YYYY-MM-DD, fixes "today").
"""

import os

import wijknet_pelican  # imported here so a broken plugin fails the build

_HERE = os.path.dirname(os.path.abspath(__file__))

SITENAME = "wijknet"  # the name on the pages comes from site.yaml
SITEURL = ""  # the site's address comes from site.yaml
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"
THEME = os.path.join(_HERE, "theme")
PLUGINS = [wijknet_pelican]

WIJKNET_ROOT = _HERE
WIJKNET_NODE_MODULES = os.path.join(_HERE, "node_modules")

# News: how many articles one page of the news list shows.
DEFAULT_PAGINATION = 10
