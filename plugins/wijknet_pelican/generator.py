"""The wijknet generator: the site's own pages, rendered by wijknet's build inside Pelican.

Pelican creates the generators, reads the news (its article generator), renders it through
the collecting writer (:mod:`wijknet_pelican.writer`), then calls ``generate_output`` here:
that hands Pelican's files and the latest news to :func:`wijknet.build.build_site`, which
validates every entry before it touches the output folder and then writes only what
changed (a clean build is made in a staging folder and swapped in).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from wijknet.build import BuildError, HostInput, asset_manifest, build_site, node_modules_of, pelican_settings_file, setting
from wijknet.engine.cache import code_version, folder_digest
from wijknet.engine.urls import Urls
from wijknet.news import HOME_NEWS, NewsItem, news_menu
from wijknet.project import Project, today_in
from wijknet.service_links import submissions_url
from wijknet_pelican.news import check_news
from wijknet_pelican.settings import NEWS_FOLDER, THEME_LAYOUT

PLUGIN_FOLDER = Path(__file__).resolve().parent


class WijknetBuildError(BuildError):
    """The site cannot be built; the message says why and what to do. ``original`` is the
    wijknet error behind it (content, settings or taxonomy problems), when there is one."""

    def __init__(self, message: str, original: Exception | None = None):
        super().__init__(message)
        self.original = original


def project_from_settings(settings: dict, content_path: str) -> Project:
    root = setting(settings, "WIJKNET_ROOT") or os.getcwd()
    return Project.at(
        root,
        content=setting(settings, "WIJKNET_CONTENT") or content_path,
        taxonomy=setting(settings, "WIJKNET_TAXONOMY"),
        settings=setting(settings, "WIJKNET_SETTINGS"),
    )


def problems_text(problems) -> str:
    lines = [f"{p.file}:{p.line}: {p.key or '-'}: {p.message('nl')}" for p in problems]
    return "de site is niet gebouwd; los eerst deze problemen op:\n" + "\n".join(lines)


def content_root(project: Project) -> Path:
    """The folder Pelican reads: the one holding ``initiatieven/`` (and ``nieuws/``)."""
    return project.content.parent if project.content.name == "initiatieven" else project.content


def host_fingerprint(conf_file: Path, news_folder: Path) -> str:
    """A digest of what the host adds to every page: its settings file, the plugin's code
    and the news sources."""
    parts = [folder_digest(conf_file), code_version(PLUGIN_FOLDER), folder_digest(news_folder)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def news_item(article, home: str) -> NewsItem:
    """The few facts about a Pelican article the site's own pages show."""
    return NewsItem(str(article.title), home + article.url, article.date.date(), str(getattr(article, "summary", "")))


class WijknetGenerator:
    """A Pelican generator (duck-typed: Pelican calls ``generate_output``)."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        from wijknet.settings import SettingsError

        self.settings = settings
        self.output_path = Path(output_path)
        self.theme = Path(theme)
        self.project = project_from_settings(settings, path)
        self.conf_file = pelican_settings_file(self.project, setting(settings, "WIJKNET_PELICAN_SETTINGS"))
        self.news_folder = Path(path) / NEWS_FOLDER
        try:
            self.site = self.project.load_settings()
        except SettingsError as error:
            from wijknet.problems import setup_problems

            raise WijknetBuildError(problems_text(setup_problems(error)), error) from None
        date = setting(settings, "WIJKNET_DATE")
        self.today = dt.date.fromisoformat(date) if date else today_in(self.site.timezone)
        # the news pages name the theme's stylesheet by its hashed name, as the build's pages do
        conf = {**THEME_LAYOUT, **_wijknet_settings(settings)}
        assets = asset_manifest(self.theme, conf, node_modules_of(self.project, conf))
        self.urls = Urls(settings.get("WIJKNET_SITE_URL") or self.site.site_url, assets)
        problems = check_news(self.news_folder, Path.cwd())
        if problems:
            lines = "\n".join(str(problem) for problem in problems)
            raise WijknetBuildError(f"de site is niet gebouwd; los eerst deze problemen in het nieuws op:\n{lines}")
        self.news: tuple[NewsItem, ...] = ()

    def template_globals(self) -> dict:
        """What the theme's base template needs, for the news pages Pelican renders."""
        # imported here, when Pelican runs: the host imports this module for every build,
        # and a no-op rebuild needs neither Jinja's filters nor the JSON-LD
        from wijknet.engine.format import content_security_policy, count_nl
        from wijknet.exports.jsonld import page_jsonld

        return {
            "site": self.site,
            "urls": self.urls,
            "today": self.today,
            "csp": content_security_policy(submissions_url(self.site)),
            "count_nl": count_nl,
            "menu_extra": news_menu(self.urls) if self.news else [],
            # the breadcrumbs every page gives search engines (the engine's pages get them
            # through the page_jsonld hook; Pelican's news pages from the same function)
            "page_jsonld": lambda page_url, trail: page_jsonld(self.site, self.urls, page_url, list(trail)),
        }

    def take_news(self, articles_generator) -> None:
        """Give Pelican's news pages our theme's globals, and keep the latest news for the home page."""
        read = {str(Path(a.source_path).resolve()) for a in articles_generator.articles + articles_generator.drafts + articles_generator.hidden_articles}
        for source in (str(p.resolve()) for p in self.news_folder.rglob("*.md")) if self.news_folder.is_dir() else ():
            if source not in read:
                raise WijknetBuildError(f"de site is niet gebouwd: Pelican kon {source} niet lezen (zie de melding hierboven)")
        # drafts are never published (DRAFT_SAVE_AS is empty); Pelican would still prepare them
        articles_generator.drafts, articles_generator.drafts_translations = [], []
        self.news = tuple(news_item(article, self.urls.home()) for article in articles_generator.articles[:HOME_NEWS])
        if not articles_generator.articles:  # no news: no empty list, no empty feed
            articles_generator.settings["DIRECT_TEMPLATES"] = []
            articles_generator.settings["FEED_ATOM"] = None
        from wijknet.engine.format import date_nl

        articles_generator.env.globals.update(self.template_globals())
        articles_generator.env.filters["date_nl"] = date_nl
        articles_generator.context["SITEURL"] = self.urls.site_url.rstrip("/")
        articles_generator.context["FEED_DOMAIN"] = self.urls.site_url.rstrip("/")

    def generate_output(self, writer) -> None:
        from wijknet.content.catalog import ContentError
        from wijknet.settings import SettingsError
        from wijknet.taxonomy import TaxonomyError

        host = HostInput(
            settings={**THEME_LAYOUT, "THEME": str(self.theme), **_wijknet_settings(self.settings)},
            files=tuple(getattr(writer, "files", {}).values()),
            fingerprint=host_fingerprint(self.conf_file, self.news_folder),
            news=self.news,
        )
        jobs = self.settings.get("WIJKNET_BUILD_JOBS")
        cache_dir = self.settings.get("WIJKNET_BUILD_CACHE")
        try:
            report = build_site(
                self.project, self.output_path, self.today, self.conf_file,
                cache_dir=cache_dir, use_cache=not self.settings.get("WIJKNET_CLEAN_BUILD"), jobs=jobs, host=host,
                checked=self.settings.get("WIJKNET_SOURCE_CHECK"),
            )  # fmt: skip
        except (SettingsError, TaxonomyError) as error:
            from wijknet.problems import setup_problems

            raise WijknetBuildError(problems_text(setup_problems(error)), error) from None
        except ContentError as error:
            raise WijknetBuildError(problems_text(error.problems), error) from None
        except BuildError as error:
            raise WijknetBuildError(str(error), error) from None
        reports = self.settings.get("WIJKNET_BUILD_REPORTS")
        if reports is not None:
            reports.append(report)
        shares = self.settings.get("WIJKNET_HOST_SHARES")
        if shares is not None and not self.settings.get("WIJKNET_CLEAN_BUILD"):
            shares.append(host)


def _wijknet_settings(settings) -> dict:
    return {name: settings[name] for name in ("WIJKNET_NODE_MODULES", "WIJKNET_SITE_URL") if settings.get(name)}
