"""The build benchmark runs end to end on a small size and reports every figure the scale
issue asks for (no timing is asserted: speed targets live in the benchmark's output)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from testkit import REPO


def test_build_benchmark_reports_every_figure(tmp_path):
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "build.py"), "40", "--json", str(figures)],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (row,) = json.loads(figures.read_text())
    assert row["n"] == 40
    for step in ("full", "noop", "edit", "add", "delete", "plain_full", "plain_edit"):
        assert row[step]["code"] == 0
        assert row[step]["wall"] > 0 and row[step]["cpu"] > 0, step
        # PSS is sampled every 50 ms, so a short step may show only its first moments
        assert row[step]["rss_mb"] > 10 and row[step]["pss_mb"] > 0, step
    assert row["size_mb"] > 0 and row["plain_size_mb"] > 0 and row["files"] > 40
    assert row["search_gz_kb"] > 1
    assert "| 40 |" in done.stdout and "ratio (wall)" in done.stdout


def test_hsds_benchmark_validates_and_round_trips(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "hsds.py"), "30", "--import"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    [row] = [line for line in done.stdout.splitlines() if line.startswith("| 30 |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[7] == "0"  # no problems
    services = int(cells[1])
    assert services > 0 and cells[-1] == f"{services} / {services}"


@pytest.mark.browser
def test_map_benchmark_reports_every_budget(tmp_path, browser):
    """``benchmarks/kaart.py`` on 40 generated entries: map data, first render in Chromium,
    build time with and without the map, the map's own steps."""
    figures = tmp_path / "kaart.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "kaart.py"), "40", "--runs", "1", "--json", str(figures)],
        capture_output=True, text=True, cwd=REPO, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (row,) = json.loads(figures.read_text())
    assert row["n"] == 40 and 0 < row["placed"] <= 40
    assert row["boundaries_gz"] > 10_000 and row["points_gz"] > 0 and row["details_files"] == 1
    assert row["first_render_ms"] > 0
    for variant in ("met", "zonder"):
        for kind in ("full", "edit"):
            wall, cpu = row["build"][variant][kind]
            assert wall > 0 and cpu > 0, (variant, kind)
    assert set(row["steps"]) >= {"geometry (no cache)", "geometry (cache)", "page and files", "locators", "cijfers"}
    assert "| 40 (" in done.stdout and "first render in Chromium" in done.stdout


def test_build_comparison_takes_turns_and_reports_every_step(tmp_path):
    """benchmarks/compare_builds.py, with this checkout on both sides: every step measured."""
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "compare_builds.py"), str(REPO), str(REPO), "--sizes", "20", "--rounds", "1"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 20 |")]
    assert [row.split("|")[2].strip() for row in rows] == ["full", "noop", "edit", "add", "delete"]
    assert all(" s | " in row for row in rows)
