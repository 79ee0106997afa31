"""A local stand-in for the parts of the GitHub REST API the github forge uses.

Only these endpoints exist, with the request and response shapes of the real API (fields
the forge does not read are kept to a representative few). Faults can be queued per
endpoint to play back GitHub's error cases.

References (GitHub REST API, version 2022-11-28):
- Get a reference: https://docs.github.com/en/rest/git/refs#get-a-reference
- Create a reference (422 "Reference already exists"): https://docs.github.com/en/rest/git/refs#create-a-reference
- Get a commit object: https://docs.github.com/en/rest/git/commits#get-a-commit-object
- Create a commit: https://docs.github.com/en/rest/git/commits#create-a-commit
- Create a blob: https://docs.github.com/en/rest/git/blobs#create-a-blob
- Create a tree: https://docs.github.com/en/rest/git/trees#create-a-tree
- Get repository content (404 when missing): https://docs.github.com/en/rest/repos/contents#get-repository-content
- List pull requests (``head=user:ref``): https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
- Create a pull request (422 when one exists): https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
- Add labels to an issue: https://docs.github.com/en/rest/issues/labels#add-labels-to-an-issue
- 401 "Bad credentials": https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api
- Secondary rate limits (403 or 429 with ``Retry-After``):
  https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
- Server errors (5xx): https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from testkit.serving import start_server

DOCS = "https://docs.github.com/rest"


def _sha(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


@dataclass
class Fault:
    status: int
    body: dict
    headers: dict = field(default_factory=dict)
    effect: object = None  # called as effect(state, payload) before answering


@dataclass
class GitHubState:
    owner: str
    repo: str
    token: str
    files: dict[str, str]  # path -> text on the default branch
    refs: dict[str, str] = field(default_factory=dict)
    blobs: dict[str, str] = field(default_factory=dict)
    trees: dict[str, dict] = field(default_factory=dict)
    commits: dict[str, dict] = field(default_factory=dict)
    pulls: list[dict] = field(default_factory=list)
    labels: dict[int, list[str]] = field(default_factory=dict)
    faults: dict[tuple[str, str], list[Fault]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        tree = _sha("tree", *sorted(self.files))
        self.trees[tree] = {"base_tree": None, "tree": [{"path": p} for p in self.files]}
        main = _sha("commit", tree)
        self.commits[main] = {"tree": tree, "parents": [], "message": "Begin"}
        self.refs["heads/main"] = main

    def fail(self, method: str, endpoint: str, *faults: Fault) -> None:
        """Queue faults for ``endpoint`` (a name such as ``blobs``, ``pulls``, ``refs``)."""
        self.faults.setdefault((method, endpoint), []).extend(faults)


ROUTES = [
    ("GET", r"/git/ref/(?P<ref>heads/.+)", "ref"),
    ("GET", r"/git/commits/(?P<sha>[0-9a-f]{40})", "commit"),
    ("GET", r"/contents/(?P<path>.+)", "contents"),
    ("POST", r"/git/blobs", "blobs"),
    ("POST", r"/git/trees", "trees"),
    ("POST", r"/git/commits", "commits"),
    ("POST", r"/git/refs", "refs"),
    ("GET", r"/pulls", "list_pulls"),
    ("POST", r"/pulls", "pulls"),
    ("POST", r"/issues/(?P<number>\d+)/labels", "labels"),
]


def make_handler(state: GitHubState):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002
            pass

        def _send(self, status: int, body, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _dispatch(self, method: str) -> None:
            parts = urlsplit(self.path)
            prefix = f"/repos/{state.owner}/{state.repo}"
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"null") if length else None
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                return self._send(401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"})
            if not parts.path.startswith(prefix):
                return self._send(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})
            path = parts.path[len(prefix) :]
            for route_method, pattern, name in ROUTES:
                match = re.fullmatch(pattern, path)
                if route_method == method and match:
                    with state.lock:
                        state.requests.append((method, name))
                        queued = state.faults.get((method, name))
                        fault = queued.pop(0) if queued else None
                    if fault:
                        if fault.effect is not None:
                            with state.lock:
                                fault.effect(state, payload)
                        return self._send(fault.status, fault.body, fault.headers)
                    with state.lock:
                        status, body = getattr(self, f"_{name}")(payload, parse_qs(parts.query), **match.groupdict())
                    return self._send(status, body)
            return self._send(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})

        def do_GET(self):  # noqa: N802
            self._dispatch("GET")

        def do_POST(self):  # noqa: N802
            self._dispatch("POST")

        # --- endpoints -----------------------------------------------------------------

        def _ref(self, payload, query, ref):
            sha = state.refs.get(unquote(ref))
            if sha is None:
                return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
            return 200, {"ref": f"refs/{unquote(ref)}", "node_id": "REF_x", "url": "", "object": {"sha": sha, "type": "commit", "url": ""}}

        def _commit(self, payload, query, sha):
            commit = state.commits.get(sha)
            if commit is None:
                return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
            return 200, {"sha": sha, "tree": {"sha": commit["tree"], "url": ""}, "parents": [{"sha": p} for p in commit["parents"]], "message": commit["message"]}

        def _contents(self, payload, query, path):
            path = unquote(path)
            if path not in state.files:
                return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
            return 200, {"type": "file", "name": path.rsplit("/", 1)[-1], "path": path, "sha": _sha(state.files[path]), "encoding": "base64", "content": ""}

        def _blobs(self, payload, query):
            assert payload["encoding"] == "utf-8"
            sha = _sha("blob", payload["content"])
            state.blobs[sha] = payload["content"]
            return 201, {"url": "", "sha": sha}

        def _trees(self, payload, query):
            sha = _sha("tree", payload["base_tree"], json.dumps(payload["tree"], sort_keys=True))
            state.trees[sha] = payload
            return 201, {"sha": sha, "url": "", "tree": payload["tree"], "truncated": False}

        def _commits(self, payload, query):
            sha = _sha("commit", payload["tree"], *payload["parents"], payload["message"])
            state.commits[sha] = {"tree": payload["tree"], "parents": payload["parents"], "message": payload["message"]}
            return 201, {"sha": sha, "tree": {"sha": payload["tree"]}, "parents": [{"sha": p} for p in payload["parents"]], "message": payload["message"]}

        def _refs(self, payload, query):
            ref = payload["ref"].removeprefix("refs/")
            if ref in state.refs:
                return 422, {"message": "Reference already exists", "documentation_url": "https://docs.github.com/rest/git/refs#create-a-reference", "status": "422"}
            state.refs[ref] = payload["sha"]
            return 201, {"ref": payload["ref"], "node_id": "REF_y", "url": "", "object": {"sha": payload["sha"], "type": "commit", "url": ""}}

        def _list_pulls(self, payload, query):
            head = query.get("head", [""])[0]
            found = [p for p in state.pulls if f"{state.owner}:{p['head']['ref']}" == head]
            return 200, found

        def _pulls(self, payload, query):
            if any(p["head"]["ref"] == payload["head"] for p in state.pulls):
                return 422, {
                    "message": "Validation Failed",
                    "errors": [{"resource": "PullRequest", "code": "custom", "message": f"A pull request already exists for {state.owner}:{payload['head']}."}],
                    "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                    "status": "422",
                }
            if f"heads/{payload['head']}" not in state.refs:
                return 422, {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "field": "head", "code": "invalid"}], "status": "422"}
            number = len(state.pulls) + 1
            pull = {
                "number": number,
                "html_url": f"https://github.com/{state.owner}/{state.repo}/pull/{number}",
                "state": "open",
                "title": payload["title"],
                "body": payload.get("body"),
                "head": {"ref": payload["head"], "label": f"{state.owner}:{payload['head']}"},
                "base": {"ref": payload["base"]},
            }
            state.pulls.append(pull)
            return 201, pull

        def _labels(self, payload, query, number):
            state.labels.setdefault(int(number), []).extend(payload["labels"])
            return 200, [{"name": name, "color": "ededed"} for name in state.labels[int(number)]]

    return Handler


def start(state: GitHubState):
    """Serve ``state`` on a free loopback port; returns (base URL, stop function)."""
    return start_server(make_handler(state))


def tree_file(state: GitHubState, commit_sha: str, path: str) -> str | None:
    """The text of ``path`` added by the commit's tree (what the forge wrote)."""
    tree = state.trees[state.commits[commit_sha]["tree"]]
    for item in tree["tree"]:
        if item["path"] == path:
            return state.blobs[item["sha"]]
    return None
