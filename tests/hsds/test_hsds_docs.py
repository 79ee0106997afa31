"""``docs/open-data.md`` is held to the code: its mapping table names every content key,
its tabular section every table of the specification, its export list every open data file."""

from __future__ import annotations

from testkit import REPO

from wijknet.content.models import FRONT_MATTER_KEYS, Contact, Location, When
from wijknet.hsds_format import standard

DOC = (REPO / "docs" / "open-data.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = DOC.index(title)
    end = DOC.find("\n### ", start + 1)
    return DOC[start : end if end != -1 else None]


def test_the_mapping_table_names_every_content_key():
    table = _section("### Mapping: our fields and HSDS")
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    named = " ".join(row.split("|")[1] for row in rows)
    parts = {"contact": Contact, "locatie": Location, "wanneer": When}
    for key in FRONT_MATTER_KEYS:
        if key in parts:
            for sub in parts[key].attribute_of:
                assert f"`{key}.{sub}`" in named, f"{key}.{sub} is not in the mapping table"
        else:
            assert f"`{key}`" in named, f"{key} is not in the mapping table"


def test_the_tables_and_exports_are_listed():
    for table in standard().tables:
        assert f"`{table.path}`" in DOC, table.path
    for path in ("data/initiatieven.json", "data/initiatieven.csv", "agenda.ics", "feeds/all.atom.xml", "data/matches.json",
                 "data/hsds/datapackage.json", "data/hsds/services/{id}.json"):  # fmt: skip
        assert f"`{path}`" in DOC, path
