"""The site tests' fixtures (defined in ``site_support.py``)."""

from site_support import (  # noqa: F401  fixtures are found by name
    amsterdam_site,
    zaanstad_site,
    xss_site,
    amsterdam_url,
    xss_url,
    page,
)
