"""The character rule in the browser: form.js refuses what the service refuses, with the same
message, and the file it prepares for GitHub (no service) reads back exactly as typed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.staticfiles import StaticFiles

from wijknet.content.models import ValidationContext
from wijknet.content.validation import validate_loaded
from wijknet.project import Project
from wijknet.safe_yaml import load_bytes

from .conftest import TODAY, make_site_repo
from .test_browser import Server, _build, fill_valid

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def static_site(tmp_path_factory):
    """A built site without a service: the form checks in the browser, then prepares the file."""
    repo = make_site_repo(tmp_path_factory.mktemp("tekens") / "site")
    output = repo / "output"
    _build(repo, output, None)
    with Server(StaticFiles(directory=str(output), html=True)) as url:
        yield url, repo


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("selector", "text", "message"),
    [
        ("#veld-titel", "Taal\u0085café", "Titel bevat een teken dat niet mag: U+0085 (volgende-regel-teken NEL)."),
        ("#veld-titel", "Taal\u001bcafé", "Titel bevat een teken dat niet mag: U+001B (escape-teken)."),
        ("#veld-organisatie", "Stichting \U0010ffff", "Organisatie bevat een teken dat niet mag: U+10FFFF (geen geldig teken)."),
        ("#veld-beschrijving", "Welkom\u0007!", "Beschrijving bevat een teken dat niet mag: U+0007 (bel-teken)."),
    ],
)
def test_the_form_refuses_what_the_service_refuses_with_its_message(static_site, page, selector, text, message):
    url, _ = static_site
    page.goto(f"{url}/aanmelden/")
    fill_valid(page, "Taalcafé")
    page.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
    page.check('input[name="werkgebied"][value="dapperbuurt"]')
    page.fill(selector, text)
    assert page.locator(selector).input_value() == text  # the browser kept the character
    page.click("#formulier button[type=submit]")
    errors = page.locator("#formulier-fouten li a").all_inner_texts()
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert page.locator("#github-link").count() == 0


def test_the_file_for_github_reads_back_exactly_as_typed(static_site, page):
    """Line and paragraph separators and a byte order mark in a double-quoted YAML value are
    read differently (spaces around a separator are folded away): the file escapes them."""
    url, repo = static_site
    page.goto(f"{url}/aanmelden/")
    fill_valid(page, "Buurt \u2028 huis")
    page.fill("#veld-samenvatting", "Samen \u2029 eten met \ufeff buren: \"gratis\" #koken")
    page.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
    page.check('input[name="werkgebied"][value="dapperbuurt"]')
    page.click("#formulier button[type=submit]")
    link = page.locator("#github-link")
    link.wait_for(state="visible")
    text = parse_qs(urlsplit(link.get_attribute("href")).query)["value"][0]
    project = Project.at(repo)
    context = ValidationContext(taxonomy=project.load_taxonomy(), settings=project.load_settings(), today=TODAY)
    result = validate_loaded(load_bytes(text.encode("utf-8")), "buurt-huis", "x.md", context)
    assert result.problems == [], [p.message() for p in result.problems]
    assert result.entry.title == "Buurt \u2028 huis"
    assert result.entry.summary == "Samen \u2029 eten met \ufeff buren: \"gratis\" #koken"
