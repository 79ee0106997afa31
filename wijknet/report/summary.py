"""The Dutch job summary of a pull-request check: every problem with its fix, and where the
pull request goes (labels, moderators)."""

from __future__ import annotations

from typing import Any, Iterable

from wijknet.report.render import escape_markdown
from wijknet.report.routing import Routing


def _code(text: str) -> str:
    """A path in a code span; paths never contain backticks we would need to keep."""
    return "`" + str(text).replace("`", "'") + "`"


def render_summary(
    problems: Iterable[dict[str, Any]],
    routing: Routing | None = None,
    repository: str = "",
    branch: str = "main",
    preview_artifact: str = "",
) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``.

    ``problems`` is the list that ``wijknet validate --format json`` prints.
    """
    problems = sorted(problems, key=lambda p: (str(p.get("file", "")), int(p.get("line") or 0), str(p.get("key", ""))))
    lines = ["## Controle van de inhoud", ""]
    if not problems:
        lines += ["Alles is in orde: er zijn geen fouten gevonden.", ""]
    else:
        files = sorted({str(p.get("file", "")) for p in problems})
        count = len(problems)
        lines += [
            f"Er {'is' if count == 1 else 'zijn'} **{count} {'fout' if count == 1 else 'fouten'}** gevonden "
            f"in {len(files)} {'bestand' if len(files) == 1 else 'bestanden'}. "
            "Bij elke fout staat wat er mis is en hoe je het oplost.",
            "",
        ]
        for file in files:
            lines += [f"### {_code(file)}", "", "| Regel | Veld | Wat is er mis en wat moet je doen? |", "|---:|---|---|"]
            for problem in problems:
                if str(problem.get("file", "")) != file:
                    continue
                key = problem.get("key") or "-"
                lines.append(
                    f"| {int(problem.get('line') or 1)} | {escape_markdown(key)} | {escape_markdown(problem.get('message', ''))} |"
                )
            lines.append("")
        lines += [
            "**Zo los je het op**",
            "",
            "1. Open het tabblad *Files changed* van deze pull request.",
            "2. Kies bij het bestand *Edit file* (het potloodje) en ga naar de regel uit de tabel.",
            "3. Pas het aan zoals hierboven staat en kies *Commit changes*. De controle start dan vanzelf opnieuw.",
            "",
        ]
        if repository:
            lines += [
                f"Meer uitleg over de velden staat in [CONTRIBUTING.md](https://github.com/{repository}/blob/{branch}/CONTRIBUTING.md).",
                "",
            ]
    if routing is not None and (routing.entries or routing.labels):
        lines += ["## Waar hoort dit bij?", ""]
        if routing.entries:
            lines += ["| Bestand | Soort | Stadsdeel |", "|---|---|---|"]
            for entry in routing.entries:
                where = ", ".join(entry.stadsdelen) or "-"
                kind = "verwijderd" if entry.deleted else (entry.kind or "onbekend")
                lines.append(f"| {_code(entry.path)} | {kind} | {where} |")
            lines.append("")
        if routing.labels:
            lines += ["Labels: " + ", ".join(_code(label) for label in routing.labels), ""]
        if routing.reviewers:
            lines += ["Gevraagd om te beoordelen: " + ", ".join(_code(handle) for handle in routing.reviewers), ""]
        else:
            lines += ["Er staan geen moderatoren bij dit stadsdeel in `taxonomy/gebieden.yaml`; "
                      "een beheerder kijkt ernaar.", ""]
    if preview_artifact:
        lines += [
            "## Voorbeeld van de site",
            "",
            f"Download het artefact {_code(preview_artifact)} onderaan de pagina van deze controle. "
            "Pak het uit en open `index.html` in je browser.",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
