"""The form token: the minimum fill time can no longer be skipped by leaving out or forging
what a client says about when the form was shown. The service signs the moment it hands
out a form. With ``require_form_token`` (``WIJKNET_REQUIRE_FORM_TOKEN``, the production
setting) JSON and form posts alike need a token it signed, old enough and not expired;
without it (the contract's default) a post without a token is taken, and a token that is
sent is still checked."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from wijknet.submissions.app import TOKEN_PATH
from wijknet.submissions.settings import ServiceConfigError, ServiceSettings
from wijknet.submissions.tokens import SECRET_FILE

from .conftest import form_pairs, valid_submission
from .test_api import assert_error_shape

API = "/api/inzendingen"
HTML = {"Accept": "text/html,application/xhtml+xml"}
FORM = {**HTML, "Content-Type": "application/x-www-form-urlencoded"}
DAY = 24 * 3600


@pytest.fixture
def make_client(make_client):
    """The service with tokens required, unless a test says otherwise."""

    def make(*args, **overrides):
        overrides.setdefault("require_form_token", True)
        return make_client(*args, **overrides)

    return make


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_the_service_hands_out_a_new_token_each_time(make_client):
    client = make_client()
    first, second = client.get(TOKEN_PATH), client.get(TOKEN_PATH)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    assert set(first.json()) == {"token", "wait_seconds", "valid_seconds"}
    assert (first.json()["wait_seconds"], first.json()["valid_seconds"]) == (3.0, 12 * 3600)
    assert first.json()["token"] != second.json()["token"]


@pytest.mark.parametrize(
    "extra",
    [
        {},  # left out
        {"token": ""},
        {"token": None},
        {"geladen": "nan"},  # what the old fill-time check skipped
        {"geladen": "1", "verstuurd": "99999999999999"},  # a forged client time
    ],
)
def test_a_json_post_without_a_token_is_refused(make_client, extra):
    client = make_client()
    body = assert_error_shape(client.post(API, json={**valid_submission(), **extra}), 403, "token_missing")
    assert body["errors"][0]["field"] == "token"
    assert "formuliercode" in body["errors"][0]["message"]


def _forgeries(token: str, other_service_token: str) -> list[object]:
    version, issued, nonce, signature = token.split(".")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    return [
        f"{version}.{int(issued) - 3_600_000}.{nonce}.{signature}",  # made older, same signature
        f"{version}.{issued}.{nonce}.{flipped}",
        f"{version}.{issued}.{nonce}x.{signature}",
        f"2.{issued}.{nonce}.{signature}",
        "1.0.abcdefgh." + "0" * 64,
        other_service_token,  # signed with another secret
        token + "0",
        "x" * 300,
        12345,
        ["een", "lijst"],
    ]


def test_a_forged_token_is_refused(make_client):
    client = make_client()
    other = make_client(publish=False, form_secret="een ander geheim van minstens 32 tekens", clock=client.clock)
    token, other_token = client.token(), other.token()
    for forged in _forgeries(token, other_token):
        response = client.post(API, json={**valid_submission(), "token": forged})
        assert_error_shape(response, 403, "token_invalid")
    assert client.post(API, json={**valid_submission(), "token": token}).status_code == 202


def test_a_token_younger_than_the_minimum_fill_time_is_refused_with_retry_after(make_client):
    client = make_client()
    token = client.get(TOKEN_PATH).json()["token"]
    client.clock.advance(1.2)
    response = client.post(API, json={**valid_submission(), "token": token})
    assert_error_shape(response, 403, "too_fast")
    assert response.headers["retry-after"] == "2"
    client.clock.advance(1.8)
    assert client.post(API, json={**valid_submission(), "token": token}).status_code == 202


def test_an_expired_token_is_refused(make_client):
    client = make_client(form_token_max_seconds=2 * 3600.0)
    token = client.token()
    client.clock.advance(2 * 3600)
    assert_error_shape(client.post(API, json={**valid_submission(), "token": token}), 403, "token_expired")


def test_a_token_serves_again_after_a_validation_error(make_client):
    """Tokens are not single-use: the form sent again after fixing a field keeps its token."""
    client = make_client()
    token = client.token()
    assert_error_shape(client.post(API, json={**valid_submission(), "titel": "Ab", "token": token}), 422, "invalid")
    assert client.post(API, json={**valid_submission(), "token": token}).status_code == 202


def test_a_form_post_with_a_forged_token_gets_the_form_back_with_a_real_one(make_client):
    client = make_client()
    pairs = [("titel", "Taalcafé Dapperbuurt"), ("token", "1.0.abcdefgh." + "0" * 64)]
    response = client.post(API, content=urlencode(pairs), headers=FORM)
    assert response.status_code == 403
    page = soup_of(response)
    assert "klopt niet" in page.select_one("#formulier-melding").get_text()
    assert page.select_one("#veld-titel")["value"] == "Taalcafé Dapperbuurt"
    token = page.select_one('input[name="token"]')["value"]
    assert client.app.state.service.tokens.usable(token) and token != pairs[1][1]


def test_the_static_form_without_javascript_comes_back_with_a_token_and_is_then_taken(make_client):
    """The built aanmelden page has no token without JavaScript: its post gets the form
    back, input kept, with a token; sent again, it is taken. That first round is not
    counted against the rate limit."""
    client = make_client(rate_limit=(1, 3600.0))
    pairs = [
        ("token", ""),
        ("soort", "initiatief"),
        ("titel", "Taalcafé zonder JavaScript"),
        ("samenvatting", "Elke week samen Nederlands oefenen met buren, met koffie."),
        ("themas", "taal"),
        ("werkgebied", "dapperbuurt"),
        ("contact.email", "taal@buurt.example"),
    ]
    for _ in range(2):
        first = client.post(API, content=urlencode(pairs), headers=FORM)
        assert first.status_code == 403 and first.headers["content-type"].startswith("text/html")
    page = soup_of(first)
    assert page.select_one("#formulier-melding").get_text(strip=True).startswith("Bijna klaar.")
    assert page.select("#formulier-fouten li") == []  # nothing wrong with the input itself
    assert page.select_one("#veld-titel")["value"] == "Taalcafé zonder JavaScript"
    assert page.select_one('input[name="werkgebied"][value="dapperbuurt"]').has_attr("checked")
    again = form_pairs(page)
    assert dict(again)["token"]
    client.clock.advance(3)
    done = client.post(API, content=urlencode(again), headers=FORM)
    assert done.status_code == 202, done.text
    assert soup_of(done).select_one(".submission-branch").get_text().startswith("inzending/taalcafe-zonder-javascript-")


def test_the_token_and_its_retry_after_are_readable_from_an_allowed_origin(make_client):
    client = make_client()
    origin = {"Origin": "https://wijknet.example"}
    assert client.get(TOKEN_PATH, headers=origin).headers["access-control-allow-origin"] == "https://wijknet.example"
    token = client.get(TOKEN_PATH).json()["token"]
    young = client.post(API, json={**valid_submission(), "token": token}, headers=origin)
    assert young.status_code == 403
    assert "retry-after" in young.headers["access-control-expose-headers"].lower()


def test_the_secret_is_made_once_in_the_state_folder_and_kept(site_repo, make_client):
    first = make_client(publish=False)
    token = first.token()
    path = site_repo / ".submissions" / SECRET_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    kept = path.read_bytes()
    second = make_client(publish=False, clock=first.clock)  # a restart: same state folder
    assert second.post(API, json={**valid_submission(), "token": token}).status_code == 202
    assert path.read_bytes() == kept


def test_a_configured_secret_wins_and_is_never_shown(site_repo, make_client):
    settings = ServiceSettings.from_env(
        {"WIJKNET_REPO": str(site_repo), "WIJKNET_FORM_SECRET": "s" * 40, "WIJKNET_FORM_MAX_HOURS": "2"}
    )
    assert settings.form_secret == "s" * 40 and settings.form_token_max_seconds == 7200
    assert "s" * 40 not in repr(settings)
    client = make_client(publish=False, form_secret="s" * 40)
    assert client.post(API, json={**valid_submission(), "token": client.token()}).status_code == 202
    assert not (site_repo / ".submissions" / SECRET_FILE).exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [("WIJKNET_FORM_SECRET", "te kort"), ("WIJKNET_FORM_MAX_HOURS", "0"), ("WIJKNET_FORM_MAX_HOURS", "nan"), ("WIJKNET_FORM_MAX_HOURS", "x")],
)
def test_unusable_token_settings_are_refused(site_repo, name, value):
    with pytest.raises(ServiceConfigError, match=name):
        ServiceSettings.from_env({"WIJKNET_REPO": str(site_repo), name: value})


def test_by_default_a_post_without_a_token_is_taken_as_the_contract_says(make_client):
    client = make_client(require_form_token=False)
    assert client.post(API, json=valid_submission("Zonder formuliercode")).status_code == 202
    pairs = [(k, v) for k, v in valid_submission("Formulier zonder formuliercode").items() if isinstance(v, str)]
    pairs += [("themas", "taal"), ("werkgebied", "dapperbuurt"), ("contact.email", "x@buurt.example")]
    answer = client.post(API, content=urlencode(pairs), headers=FORM)
    assert answer.status_code == 202 and "Bedankt" in answer.text


def test_by_default_a_token_that_is_sent_is_still_checked(make_client):
    client = make_client(require_form_token=False)
    token = client.get(TOKEN_PATH).json()["token"]
    assert_error_shape(client.post(API, json=valid_submission(token=token)), 403, "too_fast")
    assert_error_shape(client.post(API, json=valid_submission(token=token[:-1] + "x")), 403, "token_invalid")


@pytest.mark.parametrize(("value", "required"), [(None, False), ("", False), ("0", False), ("1", True), ("ja", True)])
def test_the_environment_says_whether_a_token_is_required(tmp_path, value, required):
    environ = {"WIJKNET_REPO": str(tmp_path)}
    if value is not None:
        environ["WIJKNET_REQUIRE_FORM_TOKEN"] = value
    assert ServiceSettings.from_env(environ).require_form_token is required
