"""The Pelican settings the wijknet plugin needs, set by the plugin itself.

``pelicanconf.py`` holds only what a site owner may change (theme, timezone, paths,
pagination size). Everything here is structure: entries are not Pelican articles, only
``content/nieuws/`` is read by Pelican's article generator, the news lives under
``/nieuws/`` with its own pagination and Atom feed, and the rest of Pelican's output
(categories, tags, authors, archives, pages) is not made.
"""

from __future__ import annotations

from typing import Any, MutableMapping

from wijknet.news import NEWS_FOLDER  # also the news's URL prefix

HOST_SETTINGS: dict[str, Any] = {
    # Only the news is read by Pelican; entries reach the site through the plugin.
    "ARTICLE_PATHS": [NEWS_FOLDER],
    "ARTICLE_EXCLUDES": [],
    "PAGE_PATHS": [],
    "PAGE_EXCLUDES": [],
    "STATIC_PATHS": [],
    "READERS": {"html": None, "htm": None, "rst": None},
    # The news: one page per article, a paginated list, one Atom feed.
    "ARTICLE_URL": f"{NEWS_FOLDER}/{{slug}}/",
    "ARTICLE_SAVE_AS": f"{NEWS_FOLDER}/{{slug}}/index.html",
    "ARTICLE_LANG_URL": "",
    "ARTICLE_LANG_SAVE_AS": "",
    "DIRECT_TEMPLATES": ["index"],
    "INDEX_URL": f"{NEWS_FOLDER}/",
    "INDEX_SAVE_AS": f"{NEWS_FOLDER}/index.html",
    "PAGINATED_TEMPLATES": {"index": None},
    "PAGINATION_PATTERNS": [
        (1, "{url}", "{save_as}"),
        (2, "{base_name}/pagina/{number}/", "{base_name}/pagina/{number}/index.html"),
    ],
    "FEED_ATOM": f"{NEWS_FOLDER}/atom.xml",
    "FEED_RSS": None,
    "FEED_ALL_ATOM": None,
    "FEED_ALL_RSS": None,
    "CATEGORY_FEED_ATOM": None,
    "CATEGORY_FEED_RSS": None,
    "TAG_FEED_ATOM": None,
    "TAG_FEED_RSS": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "TRANSLATION_FEED_RSS": None,
    "DEFAULT_CATEGORY": NEWS_FOLDER,
    "USE_FOLDER_AS_CATEGORY": False,
    # Not made: drafts, pages, categories, tags, authors, archives.
    "DRAFT_SAVE_AS": "",
    "DRAFT_LANG_SAVE_AS": "",
    "PAGE_SAVE_AS": "",
    "PAGE_LANG_SAVE_AS": "",
    "DRAFT_PAGE_SAVE_AS": "",
    "DRAFT_PAGE_LANG_SAVE_AS": "",
    "CATEGORY_SAVE_AS": "",
    "CATEGORIES_SAVE_AS": "",
    "TAG_SAVE_AS": "",
    "TAGS_SAVE_AS": "",
    "AUTHOR_SAVE_AS": "",
    "AUTHORS_SAVE_AS": "",
    "ARCHIVES_SAVE_AS": "",
    "YEAR_ARCHIVE_SAVE_AS": "",
    "MONTH_ARCHIVE_SAVE_AS": "",
    "DAY_ARCHIVE_SAVE_AS": "",
    "TEMPLATE_PAGES": {},
    "OUTPUT_SOURCES": False,
    # The theme's static files are copied by the build, which writes only what changed.
    "THEME_STATIC_PATHS": [],
    # Our templates escape everything unless marked safe, as the rest of the site does.
    "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []},
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
    "SLUGIFY_SOURCE": "basename",
}

THEME_LAYOUT = {"THEME_STATIC_DIR": "static", "THEME_STATIC_PATHS": ["static"]}
"""Where the theme's static files come from and go: ``theme/static`` → ``output/static``."""


def apply(settings: MutableMapping[str, Any]) -> bool:
    """Put the plugin's settings over Pelican's; returns whether the owner asked for a clean
    output folder (``DELETE_OUTPUT_DIRECTORY``), which the build then does itself, atomically."""
    from pelican.paginator import PaginationRule

    clean = bool(settings.get("DELETE_OUTPUT_DIRECTORY"))
    settings.update(HOST_SETTINGS)
    settings["PAGINATION_PATTERNS"] = [PaginationRule(*rule) for rule in HOST_SETTINGS["PAGINATION_PATTERNS"]]
    settings["WIJKNET_CLEAN_BUILD"] = clean or bool(settings.get("WIJKNET_CLEAN_BUILD"))
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    return clean
