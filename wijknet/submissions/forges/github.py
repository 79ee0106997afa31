"""The GitHub forge: the same branch and commit through the REST API, then a pull request.

Steps (each is retried by the publisher when it fails with a transient error):
base ref -> base commit's tree -> blob -> tree -> commit -> branch ref -> pull request ->
labels. Every step is safe to repeat: an existing branch (422) or pull request is reused.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import httpx

from wijknet.submissions.forges import PERMANENT, ForgeError, Published, commit_message
from wijknet.submissions.settings import ServiceSettings
from wijknet.submissions.spool import Stored, branch_name

API_VERSION = "2022-11-28"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            return None
    if response.headers.get("x-ratelimit-remaining") == "0" and response.headers.get("x-ratelimit-reset"):
        try:
            return max(0.0, float(response.headers["x-ratelimit-reset"]) - time.time())
        except ValueError:
            return None
    return None


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    text = str(body.get("message", "")) if isinstance(body, dict) else ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        text += " " + "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
    return text.strip()


def pull_request_body(submission: Stored, contact_in_pr: bool) -> str:
    """The PR text for moderators: summary, validation result, checklist, maybe the contact."""
    summary = submission.summary
    lines = [
        f"**{submission.title}** ({submission.kind})",
        "",
        summary.get("samenvatting", ""),
        "",
        f"- Thema's: {', '.join(summary.get('themas', [])) or '-'}",
        f"- Werkgebied: {', '.join(summary.get('werkgebied', [])) or '-'}",
        f"- Organisatie: {summary.get('organisatie') or '-'}",
        f"- Inzending: `{submission.id}` ({'wijziging van een bestaand initiatief' if submission.action == 'wijziging' else 'nieuw'})",
        "",
        "### Controle",
        "",
        "Geldig: de inzending is gecontroleerd met dezelfde regels als de site (`wijknet validate`).",
        "",
        "### Voor de moderator",
        "",
        "- [ ] Het initiatief bestaat echt en past bij de site.",
        "- [ ] De tekst is duidelijk en bevat geen reclame of persoonsgegevens die er niet horen.",
        "- [ ] Thema's, doelgroepen en werkgebied kloppen.",
        "- [ ] De contactgegevens zijn bedoeld om openbaar te zijn.",
    ]
    if contact_in_pr and submission.submitter:
        lines += ["", "### Contact van de inzender (niet openbaar maken)", ""]
        lines += [f"- {key}: {value}" for key, value in sorted(submission.submitter.items())]
    lines += ["", "<details><summary>Het bestand</summary>", "", "```yaml", submission.file_text.rstrip(), "```", "", "</details>"]
    return "\n".join(lines) + "\n"


class GitHubForge:
    """Branches and pull requests on one GitHub repository."""

    name = "github"

    def __init__(self, settings: ServiceSettings, content_dir: str, base_branch: str, client: httpx.Client | None = None):
        self.repository = settings.github_repository
        self.owner = self.repository.split("/", 1)[0]
        self.content_dir = content_dir.strip("/")
        self.base_branch = base_branch
        self.contact_in_pr = settings.contact_in_pr
        self.client = client or httpx.Client(
            base_url=settings.github_api_url,
            timeout=httpx.Timeout(20.0),
            headers={
                "Authorization": f"Bearer {settings.github_token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "wijknet-inzendingen",
            },
        )

    def _call(self, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, f"/repos/{self.repository}{path}", **kwargs)
        except httpx.HTTPError as error:
            raise ForgeError(f"GitHub niet bereikbaar: {error}") from None
        if response.status_code in expect:
            return response
        status = response.status_code
        retry_after = _retry_after(response)
        if status in (403, 429) and (retry_after is not None or "rate limit" in _message(response).lower()):
            raise ForgeError(f"GitHub rate limit ({status}): {_message(response)}", retry_after=retry_after or 60.0)
        if status >= 500:
            raise ForgeError(f"GitHub {status}: {_message(response)}", retry_after=retry_after)
        if status == 401:
            raise ForgeError(f"GitHub 401: {_message(response)} (controleer GITHUB_TOKEN)", transient=False)
        if status in (400, 422):  # GitHub refuses what we send: this submission's data
            raise ForgeError(f"GitHub {status} op {method} {path}: {_message(response)}", kind=PERMANENT)
        raise ForgeError(f"GitHub {status} op {method} {path}: {_message(response)}", transient=status in (404, 409))

    def _exists(self, path: str) -> bool:
        response = self._call("GET", f"/contents/{quote(path)}", (200, 404), params={"ref": self.base_branch})
        return response.status_code == 200

    def _slug_for(self, submission: Stored) -> str:
        if submission.action != "nieuw":
            return submission.slug
        slug, number = submission.slug, 2
        while self._exists(f"{self.content_dir}/{slug}.md"):
            slug, number = f"{submission.slug}-{number}", number + 1
        return slug

    def _ref_sha(self, branch: str) -> str | None:
        response = self._call("GET", f"/git/ref/heads/{quote(branch)}", (200, 404))
        return response.json()["object"]["sha"] if response.status_code == 200 else None

    def publish(self, submission: Stored) -> Published:
        slug = self._slug_for(submission)
        branch = branch_name(slug, submission.id)
        if self._ref_sha(branch) is None:
            self._create_branch(submission, slug, branch)
        number, url = self._pull_request(submission, branch)
        labels = [f"soort: {submission.kind}"] + [f"stadsdeel: {s}" for s in submission.summary.get("stadsdelen", [])]
        self._call("POST", f"/issues/{number}/labels", (200,), json={"labels": labels})
        return Published(slug, branch, url)

    def _create_branch(self, submission: Stored, slug: str, branch: str) -> None:
        base_sha = self._ref_sha(self.base_branch)
        if base_sha is None:
            raise ForgeError(f"de branch {self.base_branch} bestaat niet op GitHub", transient=False)
        base_tree = self._call("GET", f"/git/commits/{base_sha}", (200,)).json()["tree"]["sha"]
        blob = self._call("POST", "/git/blobs", (201,), json={"content": submission.file_text, "encoding": "utf-8"}).json()["sha"]
        tree = self._call(
            "POST",
            "/git/trees",
            (201,),
            json={
                "base_tree": base_tree,
                "tree": [{"path": f"{self.content_dir}/{slug}.md", "mode": "100644", "type": "blob", "sha": blob}],
            },
        ).json()["sha"]
        commit = self._call(
            "POST", "/git/commits", (201,), json={"message": commit_message(submission), "tree": tree, "parents": [base_sha]}
        ).json()["sha"]
        response = self._call("POST", "/git/refs", (201, 422), json={"ref": f"refs/heads/{branch}", "sha": commit})
        if response.status_code == 422 and "already exists" not in _message(response).lower():
            raise ForgeError(f"GitHub 422 bij het maken van {branch}: {_message(response)}", transient=False)
        # 422 "Reference already exists": an earlier attempt made it; it carries the same file

    def _pull_request(self, submission: Stored, branch: str) -> tuple[int, str]:
        found = self._call("GET", "/pulls", (200,), params={"head": f"{self.owner}:{branch}", "state": "all"}).json()
        if found:
            return int(found[0]["number"]), str(found[0]["html_url"])
        prefix = "Wijziging" if submission.action == "wijziging" else "Nieuwe inzending"
        response = self._call(
            "POST",
            "/pulls",
            (201, 422),
            json={
                "title": f"{prefix}: {submission.title}",
                "head": branch,
                "base": self.base_branch,
                "body": pull_request_body(submission, self.contact_in_pr),
                "maintainer_can_modify": True,
            },
        )
        if response.status_code == 422:
            again = self._call("GET", "/pulls", (200,), params={"head": f"{self.owner}:{branch}", "state": "all"}).json()
            if again:
                return int(again[0]["number"]), str(again[0]["html_url"])
            raise ForgeError(f"GitHub 422 bij de pull request: {_message(response)}", transient=False)
        data = response.json()
        return int(data["number"]), str(data["html_url"])
