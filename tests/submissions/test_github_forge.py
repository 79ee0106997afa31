"""The github forge against a local stand-in of the GitHub REST API (see github_standin.py)."""

from __future__ import annotations

import time

import pytest

from . import github_standin
from .conftest import SAMPLE_ENTRIES, valid_submission, wait_for

TOKEN = "github_pat_test"
SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    "documentation_url": "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    "status": "403",
}


@pytest.fixture
def github():
    state = github_standin.GitHubState(
        owner="buurt",
        repo="site",
        token=TOKEN,
        files={f"content/initiatieven/{slug}.md": "---\n---\n" for slug in SAMPLE_ENTRIES},
    )
    url, stop = github_standin.start(state)
    state.url = url
    yield state
    stop()


@pytest.fixture
def run(make_client, github):
    """A service client that publishes to the stand-in."""

    def make(token: str = TOKEN, **overrides):
        return make_client(forge="github", github_repository="buurt/site", github_token=token, github_api_url=github.url, **overrides)

    return make


def published(client, submission_id: str, timeout: float = 20.0) -> dict:
    return wait_for(
        lambda: (s := client.get(f"/api/inzendingen/{submission_id}").json())["status"] in ("ingediend", "fout") and s,
        timeout=timeout,
    )


def test_branch_commit_and_pull_request(run, github):
    client = run()
    response = client.submit(valid_submission())
    assert response.status_code == 202
    state = published(client, response.json()["id"])
    assert state["status"] == "ingediend"
    assert state["url"] == "https://github.com/buurt/site/pull/1"
    pull = github.pulls[0]
    assert pull["title"] == "Nieuwe inzending: Taalcafé Dapperbuurt"
    assert pull["base"]["ref"] == "main" and pull["head"]["ref"] == state["branch"]
    assert "- [ ]" in pull["body"] and "Geldig" in pull["body"]
    assert "anna@example.org" not in pull["body"]  # submitter contact only when configured
    assert github.labels[1] == ["soort: initiatief", "stadsdeel: oost"]
    commit = github.refs[f"heads/{state['branch']}"]
    assert github.commits[commit]["parents"] == [github.refs["heads/main"]]
    text = github_standin.tree_file(github, commit, "content/initiatieven/taalcafe-dapperbuurt.md")
    assert text.startswith("---\ntitel: Taalcafé Dapperbuurt\n")


def test_contact_in_pr_body_when_configured(run, github):
    client = run(contact_in_pr=True)
    state = published(client, client.submit(valid_submission()).json()["id"])
    assert state["status"] == "ingediend"
    assert "anna@example.org" in github.pulls[0]["body"]


def test_slug_taken_on_main_gets_a_number_and_correction_title(run, github):
    client = run()
    state = published(client, client.submit(valid_submission("Taalcafé Noord")).json()["id"])
    assert state["branch"].startswith("inzending/taalcafe-noord-2-")
    entry = valid_submission("Repair Café De Pijp", wijzig="repair-cafe-de-pijp")
    state = published(client, client.submit(entry).json()["id"])
    assert state["branch"].startswith("inzending/repair-cafe-de-pijp-")
    assert github.pulls[1]["title"] == "Wijziging: Repair Café De Pijp"


def test_server_errors_are_retried(run, github):
    github.fail("POST", "blobs", github_standin.Fault(502, {"message": "Server Error"}), github_standin.Fault(503, {"message": "Unavailable"}))
    client = run()
    state = published(client, client.submit(valid_submission()).json()["id"])
    assert state["status"] == "ingediend"
    assert github.requests.count(("POST", "blobs")) == 3


def test_secondary_rate_limit_waits_for_retry_after(run, github):
    github.fail("POST", "pulls", github_standin.Fault(403, SECONDARY, {"Retry-After": "1"}))
    client = run()
    started = time.monotonic()
    state = published(client, client.submit(valid_submission()).json()["id"])
    assert state["status"] == "ingediend"
    assert time.monotonic() - started >= 1.0
    assert github.requests.count(("POST", "pulls")) == 2


def test_existing_ref_422_is_reused(run, github):
    # another attempt made the branch between our check and our create: GitHub answers 422
    def made_elsewhere(state, payload):
        state.refs[payload["ref"].removeprefix("refs/")] = payload["sha"]

    exists = {"message": "Reference already exists", "documentation_url": "https://docs.github.com/rest/git/refs#create-a-reference", "status": "422"}
    github.fail("POST", "refs", github_standin.Fault(422, exists, effect=made_elsewhere))
    client = run()
    response = client.submit(valid_submission())
    state = published(client, response.json()["id"])
    assert state["status"] == "ingediend"
    assert github.requests.count(("POST", "refs")) == 1
    assert [p["head"]["ref"] for p in github.pulls] == [response.json()["branch"]]


def test_existing_pull_request_is_reused(run, github):
    client = run()
    submission_id = client.submit(valid_submission()).json()["id"]
    first = published(client, submission_id)
    app_publisher = client.app.state.service.publisher
    row = client.app.state.service.spool.get(submission_id)
    app_publisher.publish_one(row)  # publishing again (e.g. after a crash) makes no second PR
    assert len(github.pulls) == 1
    assert client.get(f"/api/inzendingen/{submission_id}").json()["url"] == first["url"]


def test_bad_credentials_mark_the_submission_failed(run, github):
    client = run(token="verkeerd")
    state = published(client, client.submit(valid_submission()).json()["id"])
    assert state["status"] == "fout"
    row = client.app.state.service.spool.get(state["id"])
    assert "401" in row.last_error and row.attempts == 1
    assert github.pulls == []
