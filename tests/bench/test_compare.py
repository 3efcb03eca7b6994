"""Comparing two runs' JSON, and the plot a run's JSON is drawn into."""

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from bench import compare, plot
from bench.run import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _figure(name: str, value: float, unit: str = "", goal: str | None = None) -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "goal": goal, "met": None}


def _run(finished_at: str, scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    return {"finished_at": finished_at, "machine": {"cpus": 2}, "scenarios": scenarios}


def _scenario(name: str, figures: list[dict[str, Any]], **details: Any) -> dict[str, Any]:
    return {
        "name": name,
        "parameters": {"bookings": 100},
        "figures": figures,
        "details": details,
        "error": None,
    }


def _latencies(p50: float, p90: float, p99: float, most: float) -> dict[str, float]:
    return {"count": 100, "mean": p50, "min": p50 / 2, "p50": p50, "p90": p90, "p99": p99, "max": most}


OLD = _run(
    "2026-12-01T10:00:00+00:00",
    [
        _scenario(
            "booking",
            [
                _figure("confirmed bookings/s", 400, "/s", ">= 300"),
                _figure("latency p50", 20, "ms"),
                _figure("latency p99", 150, "ms", "< 200"),
                _figure("oversold seats", 0, "", "== 0"),
                _figure("gone in the new run", 1, "ms"),
            ],
            latency_ms=_latencies(20, 80, 150, 190),
        ),
        _scenario("connections", [_figure("memory per socket", 20, "KB", "<= 25")]),
    ],
)
NEW = _run(
    "2026-12-01T11:00:00+00:00",
    [
        _scenario(
            "booking",
            [
                _figure("confirmed bookings/s", 280, "/s", ">= 300"),
                _figure("latency p50", 10, "ms"),
                _figure("latency p99", 153, "ms", "< 200"),
                _figure("oversold seats", 2, "", "== 0"),
                _figure("new in this run", 5, "ms"),
            ],
            latency_ms=_latencies(10, 60, 153, 250),
        ),
        _scenario("connections", [_figure("memory per socket", 30, "KB", "<= 25")]),
        _scenario(
            "fanout",
            [_figure("K=10,000 last frame", 800, "ms", "< 1000")],
            **{"K=1000": {"delay_ms": _latencies(50, 90, 120, 130), "setup_seconds": 3.0}},
        ),
    ],
)


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "bench-20261201-100000.json", tmp_path / "bench-20261201-110000.json"
    old.write_text(json.dumps(OLD))
    new.write_text(json.dumps(NEW))
    return old, new


def _by_name(old: Path, new: Path) -> dict[str, compare.Change]:
    found = compare.changes(json.loads(old.read_text()), json.loads(new.read_text()))
    return {change.figure: change for change in found}


def test_each_figure_is_new_over_old_with_its_verdict(runs: tuple[Path, Path]) -> None:
    changes = _by_name(*runs)

    rate = changes["confirmed bookings/s"]
    assert rate.ratio == pytest.approx(0.7)
    assert rate.verdict == "worse"  # its goal asks for more
    assert changes["latency p50"].ratio == pytest.approx(0.5)
    assert changes["latency p50"].verdict == "better"  # no goal: a time, lower is better
    assert changes["latency p99"].ratio == pytest.approx(1.02)
    assert changes["latency p99"].verdict == "same"  # within the noise
    assert changes["memory per socket"].ratio == pytest.approx(1.5)
    assert changes["memory per socket"].verdict == "worse"  # its goal is an upper bound
    assert changes["oversold seats"].ratio is None  # old was zero
    assert changes["oversold seats"].verdict == "worse"  # further from its target


def test_a_figure_one_run_lacks_has_no_ratio_nor_verdict(runs: tuple[Path, Path]) -> None:
    changes = _by_name(*runs)

    for name, old, new in [("gone in the new run", 1, None), ("new in this run", None, 5)]:
        assert (changes[name].old, changes[name].new) == (old, new)
        assert changes[name].ratio is None
        assert changes[name].verdict == ""


def test_an_unmeasured_figure_has_no_verdict() -> None:
    change = compare.Change("alerts", "p99", "ms", old=math.nan, new=12.0, goal=None)

    assert (change.ratio, change.verdict) == (None, "")


def _cells(table: str) -> list[list[str]]:
    """The table's rows as cells (columns are two spaces apart or more)."""
    return [re.split(r"\s{2,}", line.strip()) for line in table.splitlines() if "  " in line]


def test_the_table_shows_missing_figures_as_dashes_and_goals_newly_missed(
    runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *map(str, runs)]) == 0

    rows = {cells[1]: cells for cells in _cells(capsys.readouterr().out)}
    assert rows["confirmed bookings/s"] == [
        "booking",
        "confirmed bookings/s",
        "400 /s",
        "280 /s",
        "0.70",
        "worse",
        ">= 300 /s MISSED (was met)",
    ]
    assert rows["gone in the new run"][2:5] == ["1 ms", "-", "-"]
    assert rows["new in this run"][2:5] == ["-", "5 ms", "-"]


def test_without_files_the_newest_two_runs_compare(
    runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = runs
    (old.parent / "bench-20261130-090000.json").write_text(json.dumps(OLD))

    assert main(["compare", "--results-dir", str(old.parent)]) == 0

    out = capsys.readouterr().out
    assert f"old: {old}\nnew: {new}" in out


def test_a_plot_is_drawn_from_a_run(runs: tuple[Path, Path], tmp_path: Path) -> None:
    _, new = runs

    assert main(["plot", str(new), str(tmp_path / "out.png")]) == 0

    drawn = (tmp_path / "out.png").read_bytes()
    assert drawn.startswith(PNG_SIGNATURE)
    assert len(drawn) > len(PNG_SIGNATURE)


def test_the_plot_has_a_panel_per_scenario_with_latencies_and_its_goals_in_ms() -> None:
    panels = {name: (latencies, goals) for name, latencies, goals in plot.panels(NEW)}

    assert list(panels) == ["booking", "fanout"]  # connections measured no latency
    latencies, goals = panels["booking"]
    assert [(series.label, series.ms) for series in latencies] == [
        ("latency", {"p50": 10, "p90": 60, "p99": 153, "max": 250})
    ]
    assert [(goal.label, goal.ms) for goal in goals] == [("goal: latency p99 < 200 ms", 200)]
    fanout, _ = panels["fanout"]
    assert [series.label for series in fanout] == ["K=1000 delay"]


def test_a_plot_is_written_beside_its_run(runs: tuple[Path, Path]) -> None:
    _, new = runs

    drawn = plot.draw_beside(new)

    assert drawn == new.with_suffix(".png")
    assert drawn.read_bytes().startswith(PNG_SIGNATURE)
