"""The HSDS tests' fixtures (defined in ``hsds_support.py``)."""

from hsds_support import fixture_hsds, fixture_project, fixture_site, sample_hsds  # noqa: F401  fixtures are found by name
