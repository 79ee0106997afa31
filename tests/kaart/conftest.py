"""The map tests' fixtures (defined in ``kaart_support.py``)."""

from kaart_support import real_site, real_url, zaanstad_site  # noqa: F401  fixtures are found by name
