"""The HTTP API: 202 after the spool commit, 422 field errors, and every abuse control."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from wijknet.safe_yaml import load_bytes
from wijknet.submissions.spool import Spool

from .conftest import TODAY, branches, git, valid_submission, wait_for

ERROR_KEYS = {"status", "code", "errors"}


def assert_error_shape(response, status: int, code: str):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == "fout" and body["code"] == code
    assert body["errors"] and all(set(e) == {"field", "message"} for e in body["errors"])
    return body


def test_accepted_submission_is_in_the_spool_and_becomes_a_branch(site_repo, make_client):
    client = make_client()
    main_before = git(site_repo, "rev-parse", "main")
    response = client.submit(valid_submission())
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status", "branch", "url"}
    assert body["status"] == "ontvangen"
    assert body["branch"] == f"inzending/taalcafe-dapperbuurt-{body['id']}"
    # stored durably before the answer: a second connection sees the row
    assert Spool(site_repo / ".submissions" / "spool.sqlite3").get(body["id"]) is not None
    wait_for(lambda: client.get(f"/api/inzendingen/{body['id']}").json()["status"] == "ingediend")
    assert branches(site_repo) == [body["branch"]]
    text = git(site_repo, "show", f"{body['branch']}:content/initiatieven/taalcafe-dapperbuurt.md")
    loaded = load_bytes(text.encode())
    assert loaded.data["gecontroleerd"] == TODAY.isoformat()
    assert loaded.data["contact"]["telefoon"] == "+31 20 123 4567"
    assert "inzender" not in loaded.data and "anna@example.org" not in text  # submitter stays out of the repo
    assert loaded.body.startswith("Iedereen is welkom.")
    # one commit on top of main, one file, main and the working tree untouched
    assert git(site_repo, "rev-list", "--count", f"main..{body['branch']}").strip() == "1"
    assert git(site_repo, "diff", "--name-only", "main", body["branch"]).split() == ["content/initiatieven/taalcafe-dapperbuurt.md"]
    assert git(site_repo, "rev-parse", "main") == main_before
    assert git(site_repo, "status", "--porcelain") == ""


def test_same_submission_twice_gives_one_branch(site_repo, make_client):
    client = make_client()
    first = client.submit(valid_submission())
    second = client.submit(valid_submission())
    assert first.json()["id"] == second.json()["id"]
    keyed = [client.submit(valid_submission("Koffie in de buurt"), headers={"Idempotency-Key": "k1"}) for _ in range(3)]
    assert len({r.json()["id"] for r in keyed}) == 1
    wait_for(lambda: len(branches(site_repo)) == 2)
    time.sleep(0.3)
    assert len(branches(site_repo)) == 2


def test_a_slug_taken_on_main_gets_a_number(site_repo, make_client):
    client = make_client()
    response = client.submit(valid_submission("Taalcafé Noord"))
    assert response.json()["branch"].startswith("inzending/taalcafe-noord-2-")
    wait_for(lambda: branches(site_repo))
    branch = branches(site_repo)[0]
    assert git(site_repo, "diff", "--name-status", "main", branch).split() == ["A", "content/initiatieven/taalcafe-noord-2.md"]


def test_a_correction_changes_the_existing_file_and_keeps_moderator_fields(site_repo, make_client):
    client = make_client()
    before = load_bytes((site_repo / "content/initiatieven/buurtbuik-dapperbuurt.md").read_bytes()).data
    data = {key: value for key, value in before.items() if key not in ("gecontroleerd", "uitgelicht", "status")}
    data["samenvatting"] = "Elke donderdag én vrijdag gratis samen eten met buurtgenoten."
    response = client.submit({**data, "wijzig": "buurtbuik-dapperbuurt"})
    assert response.status_code == 202, response.text
    branch = response.json()["branch"]
    assert branch.startswith("inzending/buurtbuik-dapperbuurt-")
    wait_for(lambda: branches(site_repo))
    assert git(site_repo, "diff", "--name-status", "main", branch).split() == ["M", "content/initiatieven/buurtbuik-dapperbuurt.md"]
    after = load_bytes(git(site_repo, "show", f"{branch}:content/initiatieven/buurtbuik-dapperbuurt.md").encode()).data
    assert after["samenvatting"] == data["samenvatting"]
    assert after["uitgelicht"] == before["uitgelicht"]
    assert after["gecontroleerd"] == TODAY.isoformat()


def test_correcting_an_unknown_entry_is_a_field_error(make_client):
    body = assert_error_shape(make_client().submit({**valid_submission(), "wijzig": "bestaat-niet"}), 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["wijzig"]


def test_validation_errors_are_dutch_field_messages(make_client):
    client = make_client()
    body = assert_error_shape(
        client.submit(
            {"titel": "Ab", "soort": "activiteit", "themas": ["eenzaam"], "werkgebied": ["dapperbuurt"], "contact": {"email": "geen-adres"}}
        ),
        422,
        "invalid",
    )
    by_field = {e["field"]: e["message"] for e in body["errors"]}
    assert by_field["titel"] == "Te kort: gebruik minstens 3 tekens."
    assert "eenzaamheid" in by_field["themas"]
    assert by_field["contact.email"].startswith("'geen-adres' is geen geldig e-mailadres")
    assert by_field["samenvatting"] == "Dit veld is verplicht."
    assert "wanneer" in by_field


@pytest.mark.parametrize("key, value", [("gecontroleerd", "2020-01-01"), ("status", "gestopt"), ("uitgelicht", {"tot": "2030-01-01"})])
def test_moderator_fields_are_not_accepted_from_the_public(make_client, key, value):
    body = assert_error_shape(make_client().submit({**valid_submission(), key: value}), 422, "invalid")
    assert [e["field"] for e in body["errors"]] == [key]
    assert "redactie" in body["errors"][0]["message"]


def test_fields_outside_the_allowlist_are_refused(make_client):
    body = assert_error_shape(make_client().submit({**valid_submission(), "slug": "eigen-slug", "html": "<b>"}), 422, "invalid")
    assert sorted(e["field"] for e in body["errors"]) == ["html", "slug"]


def test_body_over_64_kib_is_413(make_client):
    client = make_client()
    big = valid_submission(beschrijving="x" * (65 * 1024))
    assert_error_shape(client.submit(big), 413, "too_large")


def test_wrong_content_type_is_415(make_client):
    client = make_client()
    assert_error_shape(client.post("/api/inzendingen", content=b"titel=x", headers={"content-type": "text/plain"}), 415, "unsupported_media_type")
    assert_error_shape(client.post("/api/inzendingen", files={"titel": ("a", b"x")}), 415, "unsupported_media_type")


def test_rate_limit_per_client_is_429_and_validation_errors_do_not_count(make_client):
    client = make_client(rate_limit=(2, 3600.0))
    for _ in range(3):
        assert client.submit({"titel": "x"}).status_code == 422
    assert client.submit(valid_submission("Een")).status_code == 202
    assert client.submit(valid_submission("Twee")).status_code == 202
    response = client.submit(valid_submission("Drie"))
    assert_error_shape(response, 429, "rate_limited")
    assert int(response.headers["retry-after"]) > 0


def test_honeypot_is_403(make_client):
    assert_error_shape(make_client().submit({**valid_submission(), "homepage": "http://spam.example"}), 403, "honeypot")


def test_origin_allowlist_and_cors(make_client):
    client = make_client(allowed_origins=("https://formulier.example",))
    assert_error_shape(client.submit(valid_submission(), headers={"Origin": "https://kwaad.example"}), 403, "bad_origin")
    ok = client.submit(valid_submission(), headers={"Origin": "https://wijknet.example"})
    assert ok.status_code == 202
    assert ok.headers["access-control-allow-origin"] == "https://wijknet.example"
    preflight = client.options(
        "/api/inzendingen",
        headers={"Origin": "https://formulier.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, idempotency-key"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://formulier.example"
    bad = client.options("/api/inzendingen", headers={"Origin": "https://kwaad.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in bad.headers


def test_a_forged_host_does_not_let_a_foreign_origin_in(make_client):
    """The own-origin check compares with the configured public addresses (site.yaml's url,
    the service's address, WIJKNET_ALLOWED_ORIGINS), never with the Host the client names."""
    client = make_client()
    for origin, host in (("http://kwaad.example", "kwaad.example"), ("http://127.0.0.1:8000", "127.0.0.1:8000")):
        forged = client.submit(valid_submission(), headers={"Origin": origin, "Host": host})
        assert_error_shape(forged, 403, "bad_origin")
    configured = client.submit(valid_submission(), headers={"Origin": "https://wijknet.example", "Host": "kwaad.example"})
    assert configured.status_code == 202, configured.text


def test_status_of_unknown_submission_is_404_in_the_same_shape(make_client):
    assert_error_shape(make_client().get("/api/inzendingen/onbekend"), 404, "not_found")


def test_form_post_without_javascript_gets_html_pages(site_repo, make_client):
    client = make_client()
    html = {"Accept": "text/html,application/xhtml+xml"}
    bad = client.post("/api/inzendingen", data={"titel": "A<", "soort": "vraag", "themas": "taal", "token": client.token()}, headers=html)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    page = BeautifulSoup(bad.text, "html.parser")
    summary = page.select("#formulier-fouten li a")
    assert summary and all(a["href"].startswith("#veld-") for a in summary)
    for link in summary:
        assert page.select_one(link["href"]) is not None  # every summary link points at a field
    title = page.select_one("#veld-titel")
    assert title["value"] == "A<" and title["aria-invalid"] == "true"
    assert "veld-titel-fout" in title["aria-describedby"].split()
    assert page.select_one("#veld-titel-fout").get_text(strip=True) == "Te kort: gebruik minstens 3 tekens."
    assert page.select_one('input[name="soort"][value="vraag"]').has_attr("checked")
    assert page.select_one('input[name="themas"][value="taal"]').has_attr("checked")
    assert page.select_one("#formulier")["action"] == "/api/inzendingen"
    assert 'value="A&lt;"' in bad.text  # escaped, never rendered
    pairs = [(k, v) for k, v in valid_submission().items() if isinstance(v, str)]
    pairs += [("themas", "taal"), ("werkgebied", "dapperbuurt"), ("contact.email", "x@buurt.example")]
    pairs += [("token", page.select_one('input[name="token"]')["value"])]  # the page kept the posted token
    form_type = {**html, "Content-Type": "application/x-www-form-urlencoded"}
    good = client.post("/api/inzendingen", content=urlencode(pairs), headers=form_type)
    assert good.status_code == 202
    thanks = BeautifulSoup(good.text, "html.parser")
    assert thanks.select_one(".submission-branch").get_text().startswith("inzending/taalcafe-dapperbuurt-")
    blocked = client.post("/api/inzendingen", data={**dict(pairs), "homepage": "x"}, headers=html)
    assert blocked.status_code == 403 and "niet aangenomen" in blocked.text
