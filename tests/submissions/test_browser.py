"""Both forms in real Chromium, with and without JavaScript, against a real build and service."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from starlette.staticfiles import StaticFiles
from testkit import city_noon
from testkit.serving import axe_violations

from wijknet.build import build_site
from wijknet.commands.serve import DevServer
from wijknet.safe_yaml import load_bytes
from wijknet.content.models import ValidationContext
from wijknet.content.validation import validate_loaded
from wijknet.project import Project
from wijknet.submissions.app import create_app

from .conftest import TODAY, ServiceProcess, branches, free_port, git, make_site_repo, settings_for, wait_for

pytestmark = pytest.mark.browser


def _build(repo: Path, output: Path, submissions_url: str | None) -> None:
    previous = os.environ.get("SUBMISSIONS_URL")
    if submissions_url is None:
        os.environ.pop("SUBMISSIONS_URL", None)
    else:
        os.environ["SUBMISSIONS_URL"] = submissions_url
    try:
        build_site(Project.at(repo), output, TODAY)
    finally:
        if previous is None:
            os.environ.pop("SUBMISSIONS_URL", None)
        else:
            os.environ["SUBMISSIONS_URL"] = previous


class Server:
    def __init__(self, app, port: int | None = None):
        self.port = port or free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=20)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A built site served with the submission service on one origin (like ``wijknet serve``)."""
    repo = make_site_repo(tmp_path_factory.mktemp("browser") / "site")
    output = repo / "output"
    _build(repo, output, "/")
    port = free_port()
    # the service takes posts from its configured public address, as `wijknet serve` sets it
    settings = settings_for(repo, min_fill_seconds=0.3, allowed_origins=(f"http://127.0.0.1:{port}",), require_form_token=True)
    app = DevServer(create_app(settings), StaticFiles(directory=str(output), html=True))
    with Server(app, port) as url:
        yield url, repo


@pytest.fixture
def page_js(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def page_nojs(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def fill_valid(page, title: str) -> None:
    page.check("#veld-soort-0")  # initiatief
    page.fill("#veld-titel", title)
    page.fill("#veld-samenvatting", "Elke week samen Nederlands oefenen met buren.")
    page.check('input[name="themas"][value="taal"]')
    page.fill("#veld-contact-email", "taal@buurt.example")
    page.fill("#veld-inzender-email", "anna@example.org")
    page.fill("#veld-beschrijving", "Iedereen is welkom.")


def test_with_javascript_errors_then_success_screen(site, page_js):
    url, repo = site
    page_js.goto(f"{url}/aanmelden/")
    page_js.click("#formulier button[type=submit]")
    summary = page_js.locator("#formulier-fouten")
    assert summary.is_visible()
    messages = page_js.locator("#formulier-fouten li a").all_inner_texts()
    assert "Dit veld is verplicht." in messages  # the server's own message
    assert page_js.evaluate("document.activeElement.id") == "formulier-fouten"
    title = page_js.locator("#veld-titel")
    assert title.get_attribute("aria-invalid") == "true"
    assert "veld-titel-fout" in title.get_attribute("aria-describedby")
    assert axe_violations(page_js) == []
    # the area filter: type a neighbourhood, tick it
    page_js.fill("#veld-werkgebied-zoek", "dapper")
    assert page_js.locator('input[name="werkgebied"][value="dapperbuurt"]').is_visible()
    assert not page_js.locator('input[name="werkgebied"][value="jordaan"]').is_visible()
    page_js.check('input[name="werkgebied"][value="dapperbuurt"]')
    fill_valid(page_js, "Taalcafé Oost met JavaScript")
    page_js.fill("#veld-titel", "Ab")
    page_js.click("#formulier button[type=submit]")
    assert page_js.locator("#veld-titel-fout").inner_text() == "Te kort: gebruik minstens 3 tekens."
    page_js.fill("#veld-titel", "Taalcafé Oost met JavaScript")
    time.sleep(0.4)  # the minimum fill time
    page_js.click("#formulier button[type=submit]")
    result = page_js.locator("#formulier-resultaat")
    result.wait_for(state="visible", timeout=10_000)
    assert "Bedankt" in result.inner_text()
    assert "inzending/taalcafe-oost-met-javascript-" in result.inner_text()
    wait_for(lambda: any(b.startswith("inzending/taalcafe-oost-met-javascript-") for b in branches(repo)))


def test_without_javascript_errors_kept_input_and_thank_you_page(site, page_nojs):
    url, repo = site
    page_nojs.goto(f"{url}/aanmelden/")
    assert page_nojs.locator(".area-filter").is_hidden()  # the filter needs JS; the list works without
    page_nojs.fill("#veld-titel", "Ab")
    page_nojs.fill("#veld-samenvatting", "Te kort")
    page_nojs.click("#formulier button[type=submit]")
    assert page_nojs.locator("#formulier-fouten").is_visible()
    assert page_nojs.input_value("#veld-titel") == "Ab"  # input kept
    assert page_nojs.locator("#veld-titel-fout").inner_text() == "Te kort: gebruik minstens 3 tekens."
    first_link = page_nojs.locator("#formulier-fouten li a").first.get_attribute("href")
    assert page_nojs.locator(first_link).count() == 1
    fill_valid(page_nojs, "Taalcafé Oost zonder JavaScript")
    page_nojs.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
    page_nojs.check('input[name="werkgebied"][value="dapperbuurt"]')
    time.sleep(0.4)  # the form with errors carries a form token: the minimum fill time
    page_nojs.click("#formulier button[type=submit]")
    assert "Bedankt" in page_nojs.locator("h1").inner_text()
    branch = page_nojs.locator(".submission-branch").inner_text()
    assert branch.startswith("inzending/taalcafe-oost-zonder-javascript-")
    wait_for(lambda: branch in branches(repo))


@pytest.fixture(scope="module")
def service_site(tmp_path_factory):
    """The site on one server and ``wijknet submissions`` as its own uvicorn process and origin.

    The site is built with the service's address, so "Klopt er iets niet?" leads there.
    """
    repo = make_site_repo(tmp_path_factory.mktemp("dienst") / "site")
    service = ServiceProcess(repo, {"WIJKNET_MIN_FILL_SECONDS": "0.3"}).start()
    try:
        output = repo / "output"
        _build(repo, output, service.url + "/")
        with Server(StaticFiles(directory=str(output), html=True)) as url:
            yield url, service, repo
    finally:
        service.stop()


def open_correction_form(page, site_url: str, service_url: str) -> None:
    """From the entry page on the site, follow "Klopt er iets niet?" to the service."""
    page.goto(f"{site_url}/initiatieven/buurtbuik-dapperbuurt/")
    page.click(".correction a")
    page.wait_for_url(f"{service_url}/inzendingen/wijzigen/buurtbuik-dapperbuurt/")
    assert page.input_value("#veld-titel") == "Buurtbuik Dapperbuurt"
    assert page.is_checked('input[name="werkgebied"][value="dapperbuurt"]')
    assert page.input_value("#veld-contact-email") == "oost@buurtbuik.example"


def correction_branch(repo: Path) -> str:
    return wait_for(lambda: next((b for b in branches(repo) if b.startswith("inzending/buurtbuik-dapperbuurt-")), None))


def assert_corrected(repo: Path, branch: str, line: str) -> None:
    assert git(repo, "diff", "--name-status", "main", branch).split() == ["M", "content/initiatieven/buurtbuik-dapperbuurt.md"]
    text = git(repo, "show", f"{branch}:content/initiatieven/buurtbuik-dapperbuurt.md")
    assert line in text
    assert "uitgelicht:" in text  # moderator fields of the entry are kept


def test_correction_with_javascript_through_the_service(service_site, page_js):
    url, service, repo = service_site
    open_correction_form(page_js, url, service.url)
    assert page_js.locator("#formulier-config").count() == 1
    assert axe_violations(page_js) == []
    page_js.fill("#veld-titel", "")
    page_js.click("#formulier button[type=submit]")
    assert page_js.evaluate("document.activeElement.id") == "formulier-fouten"
    assert page_js.locator("#formulier-fouten li a").all_inner_texts() == ["Dit veld is verplicht."]
    assert page_js.locator("#formulier-fouten li a").get_attribute("href") == "#veld-titel"
    assert page_js.locator("#veld-titel").get_attribute("aria-invalid") == "true"
    assert page_js.input_value("#veld-contact-email") == "oost@buurtbuik.example"  # input kept
    page_js.fill("#veld-titel", "Buurtbuik Dapperbuurt")
    page_js.fill("#veld-kosten", "gratis, een gift mag")
    time.sleep(0.4)  # the minimum fill time
    page_js.click("#formulier button[type=submit]")
    result = page_js.locator("#formulier-resultaat")
    result.wait_for(state="visible", timeout=10_000)
    assert "Bedankt" in result.inner_text()
    assert_corrected(repo, correction_branch(repo), "kosten: gratis, een gift mag")


def test_correction_without_javascript_through_the_service(service_site, page_nojs):
    url, service, repo = service_site
    open_correction_form(page_nojs, url, service.url)
    page_nojs.fill("#veld-titel", "Ab")
    page_nojs.fill("#veld-tijden", "Elke zaterdag 12.00 - 14.00 uur")
    time.sleep(0.4)  # the form carries the time it was shown: stay above the minimum fill time
    page_nojs.click("#formulier button[type=submit]")
    assert page_nojs.url == f"{service.url}/api/inzendingen"
    assert page_nojs.locator("#formulier-fouten").is_visible()
    assert page_nojs.locator("#veld-titel-fout").inner_text() == "Te kort: gebruik minstens 3 tekens."
    link = page_nojs.locator("#formulier-fouten li a").first.get_attribute("href")
    assert link == "#veld-titel" and page_nojs.locator(link).count() == 1
    assert page_nojs.input_value("#veld-titel") == "Ab"  # input kept
    assert page_nojs.input_value("#veld-tijden") == "Elke zaterdag 12.00 - 14.00 uur"
    html = page_nojs.content()
    context = page_nojs.context.browser.new_context()
    try:
        checker = context.new_page()
        checker.goto(f"{service.url}/inzendingen/wijzigen/buurtbuik-dapperbuurt/")
        checker.set_content(html)  # axe needs script; run it on the same HTML
        assert axe_violations(checker) == []
    finally:
        context.close()
    page_nojs.fill("#veld-titel", "Buurtbuik Dapperbuurt")
    time.sleep(0.4)  # the page with errors was shown just now: the minimum fill time again
    page_nojs.click("#formulier button[type=submit]")
    assert "Bedankt" in page_nojs.locator("h1").inner_text()
    branch = page_nojs.locator(".submission-branch").inner_text()
    assert branch.startswith("inzending/buurtbuik-dapperbuurt-")
    wait_for(lambda: branch in branches(repo))
    assert_corrected(repo, branch, "tijden: Elke zaterdag 12.00 - 14.00 uur")


def test_without_javascript_a_valid_form_is_sent_in_two_steps(site, page_nojs):
    """The static page has no form token without JavaScript: the first post brings the form
    back, input kept, with a token and a note; the second is taken."""
    url, repo = site
    page_nojs.goto(f"{url}/aanmelden/")
    assert page_nojs.locator('input[name="token"]').input_value() == ""
    fill_valid(page_nojs, "Buurtmoestuin zonder script")
    page_nojs.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
    page_nojs.check('input[name="werkgebied"][value="dapperbuurt"]')
    page_nojs.click("#formulier button[type=submit]")
    assert page_nojs.locator("#formulier-melding").inner_text().startswith("Bijna klaar.")
    assert page_nojs.input_value("#veld-titel") == "Buurtmoestuin zonder script"
    assert page_nojs.locator('input[name="token"]').input_value() != ""
    html = page_nojs.content()
    context = page_nojs.context.browser.new_context()
    try:
        checker = context.new_page()
        checker.goto(f"{url}/aanmelden/")
        checker.set_content(html)  # axe needs script; run it on the same HTML
        assert axe_violations(checker) == []
    finally:
        context.close()
    time.sleep(0.4)  # the minimum fill time of the new token
    page_nojs.click("#formulier button[type=submit]")
    assert "Bedankt" in page_nojs.locator("h1").inner_text()
    branch = page_nojs.locator(".submission-branch").inner_text()
    wait_for(lambda: branch in branches(repo))


def test_with_javascript_a_refused_token_is_renewed_and_the_form_sent(site, page_js):
    """form.js fetches a token on the static page; when the service refuses it (here: made
    unreadable), it fetches a new one, waits the minimum fill time and sends again."""
    url, repo = site
    page_js.goto(f"{url}/aanmelden/")
    token = page_js.locator('input[name="token"]')
    page_js.wait_for_function("document.querySelector('input[name=token]').value !== ''")
    fill_valid(page_js, "Buurtmoestuin met script")
    page_js.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
    page_js.check('input[name="werkgebied"][value="dapperbuurt"]')
    token.evaluate("input => { input.value = 'vervalst'; }")
    posts = []
    page_js.on("request", lambda request: posts.append(request.post_data_json) if request.method == "POST" else None)
    # the page's timers run on Playwright's clock: hold it, let real time pass the minimum
    # fill time for the service, then run the page's clock for form.js's wait
    page_js.clock.pause_at(city_noon(TODAY) + dt.timedelta(hours=1))
    with page_js.expect_response(f"{url}/api/inzendingen/token"):
        page_js.click("#formulier button[type=submit]")
    time.sleep(0.4)
    assert len(posts) == 1
    page_js.clock.run_for(1000)
    result = page_js.locator("#formulier-resultaat")
    result.wait_for(state="visible", timeout=10_000)
    assert "Bedankt" in result.inner_text()
    assert [post["token"] == "vervalst" for post in posts] == [True, False]
    wait_for(lambda: any(b.startswith("inzending/buurtmoestuin-met-script-") for b in branches(repo)))


def test_unknown_entry_on_the_service_is_a_friendly_page(service_site, page_nojs):
    _, service, _ = service_site
    response = page_nojs.goto(f"{service.url}/inzendingen/wijzigen/bestaat-niet/")
    assert response.status == 404
    assert page_nojs.locator("h1").inner_text() == "Dit initiatief bestaat niet (meer)"


def test_same_origin_like_make_serve_links_to_the_service_page(site, page_nojs):
    url, _ = site
    page_nojs.goto(f"{url}/initiatieven/taalcafe-noord/")
    assert page_nojs.locator(".correction a").get_attribute("href") == "/inzendingen/wijzigen/taalcafe-noord/"
    page_nojs.click(".correction a")
    assert page_nojs.input_value("#veld-titel") == "Taalcafé Noord"
    assert page_nojs.locator("#formulier").get_attribute("action") == "/api/inzendingen"


def test_without_a_service_the_form_opens_githubs_new_file_page(tmp_path, browser):
    repo = make_site_repo(tmp_path / "site")
    output = repo / "output"
    _build(repo, output, None)
    app = StaticFiles(directory=str(output), html=True)
    context = browser.new_context()
    page = context.new_page()
    try:
        with Server(app) as url:
            page.goto(f"{url}/aanmelden/")
            assert page.locator("#geen-dienst").is_visible()
            fill_valid(page, "Buurtmoestuin aan het water")
            page.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
            page.check('input[name="werkgebied"][value="dapperbuurt"]')
            page.click("#formulier button[type=submit]")
            link = page.locator("#github-link")
            link.wait_for(state="visible")
            href = link.get_attribute("href")
            # "Klopt er iets niet?" leads to GitHub's edit page, with e-mail for people without an account
            page.goto(f"{url}/initiatieven/buurtbuik-dapperbuurt/")
            assert page.locator(".correction a").first.get_attribute("href") == (
                "https://github.com/wijknet/wijknet-amsterdam/edit/main/content/initiatieven/buurtbuik-dapperbuurt.md"
            )
            note = page.locator(".correction .correction-note")
            assert note.is_visible() and "GitHub-account" in note.inner_text()
            assert note.locator("a").get_attribute("href").startswith("mailto:redactie@wijknet.example?subject=")
            assert axe_violations(page) == []
    finally:
        context.close()
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/wijknet/wijknet-amsterdam/new/main")
    query = parse_qs(parts.query)
    assert query["filename"] == ["content/initiatieven/buurtmoestuin-aan-het-water.md"]
    text = query["value"][0]
    assert "anna@example.org" not in text  # the submitter's contact never goes into the file
    project = Project.at(repo)
    context = ValidationContext(taxonomy=project.load_taxonomy(), settings=project.load_settings(), today=TODAY)
    result = validate_loaded(load_bytes(text.encode()), "buurtmoestuin-aan-het-water", "x.md", context)
    assert result.problems == [], [p.message() for p in result.problems]
    assert result.entry.themes == ("taal",) or list(result.entry.themes) == ["taal"]


def test_no_javascript_error_page_is_axe_clean(site, page_nojs):
    url, _ = site
    page_nojs.goto(f"{url}/aanmelden/")
    page_nojs.click("#formulier button[type=submit]")
    assert page_nojs.locator("#formulier-fouten").is_visible()
    # axe needs script; run it in a JS context on the same HTML
    html = page_nojs.content()
    context = page_nojs.context.browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{url}/aanmelden/")
        page.set_content(html)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_site_form_posts_to_the_service_the_csp_allows(tmp_path, browser):
    """``SUBMISSIONS_URL`` names a service on another origin than ``site.yaml`` does: the
    page's CSP (enforced, not bypassed) must let the form reach the address it posts to."""
    repo = make_site_repo(tmp_path / "site")
    settings_file = repo / "site.yaml"
    settings_file.write_text(
        settings_file.read_text().replace('inzendingen_url: ""', 'inzendingen_url: "https://oud-adres.example"')
    )
    output = repo / "output"
    output.mkdir()
    site = Server(StaticFiles(directory=str(output), html=True))
    site_origin = f"http://127.0.0.1:{site.port}"
    service = Server(create_app(settings_for(repo, min_fill_seconds=0.3, allowed_origins=(site_origin,))))
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    try:
        with service as service_url, site as url:
            _build(repo, output, service_url + "/")
            page.goto(f"{url}/aanmelden/")
            endpoint = f"{service_url}/api/inzendingen"
            form = page.locator("#formulier")
            assert (form.get_attribute("action"), form.get_attribute("data-endpoint")) == (endpoint, endpoint)
            csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
            assert f"connect-src 'self' {service_url};" in csp and f"form-action 'self' {service_url} " in csp
            assert "oud-adres.example" not in csp
            fill_valid(page, "Taalcafé aan de overkant")
            page.locator('details.area-group:has(input[value="dapperbuurt"]) > summary').click()
            page.check('input[name="werkgebied"][value="dapperbuurt"]')
            time.sleep(0.4)  # the minimum fill time
            with page.expect_response(endpoint) as posted:
                page.click("#formulier button[type=submit]")
            assert posted.value.status == 202
            result = page.locator("#formulier-resultaat")
            result.wait_for(state="visible", timeout=10_000)
            assert "Bedankt" in result.inner_text()
            wait_for(lambda: any(b.startswith("inzending/taalcafe-aan-de-overkant-") for b in branches(repo)))
    finally:
        context.close()
    assert blocked == []
