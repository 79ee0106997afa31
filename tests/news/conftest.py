"""The news tests' fixtures (defined in ``news_support.py``)."""

from news_support import news_site, news_url  # noqa: F401  fixtures are found by name
