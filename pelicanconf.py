"""Pelican settings for a wijknet site (development).

The city lives in ``site.yaml`` and ``taxonomy/``; the pages come from the wijknet plugin.
Pelican's own articles, pages, feeds and archives are switched off: entries are not
Pelican articles (Pelican would treat their ``status`` key as its own).

Environment variables (set by ``wijknet build``): WIJKNET_CONTENT, WIJKNET_TAXONOMY,
WIJKNET_SETTINGS, WIJKNET_DATE (YYYY-MM-DD, fixes "today").
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.join(_HERE, "plugins") not in sys.path:
    sys.path.insert(0, os.path.join(_HERE, "plugins"))

import wijknet_pelican  # noqa: E402  (imported here so a broken plugin fails the build)

WIJKNET_ROOT = _HERE
WIJKNET_NODE_MODULES = os.path.join(_HERE, "node_modules")

SITENAME = "wijknet"  # the real name comes from site.yaml
SITEURL = ""
RELATIVE_URLS = False
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"

THEME = os.path.join(_HERE, "theme")
THEME_STATIC_DIR = "static"
THEME_STATIC_PATHS = ["static"]

PLUGIN_PATHS = [os.path.join(_HERE, "plugins")]
PLUGINS = [wijknet_pelican]

# Nothing for Pelican's own readers: entries reach the site through the plugin only.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
ARTICLE_EXCLUDES = ["initiatieven"]
PAGE_EXCLUDES = ["initiatieven"]
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {}
ARTICLE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
PAGE_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = ""

# Feeds come from wijknet.exports, not from Pelican.
FEED_DOMAIN = None
FEED_ATOM = None
FEED_RSS = None
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
