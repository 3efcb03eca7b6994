"""Draws a run's latency percentiles per scenario, log-scale milliseconds, with their goals, as a PNG.

Every run writes one beside its JSON; `python -m bench plot RUN.json [OUT.png]` draws one again. The
latencies are the summaries (`bench.stats.summary`) a scenario keeps in its details under a key
ending in `_ms`, at any depth (fan-out keeps one per K); each is a line over p50, p90, p99 and max.
A scenario's goals in milliseconds are dashed lines at their targets.
"""

import argparse
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display, and no GUI toolkit to import

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402

PERCENTILES = ("p50", "p90", "p99", "max")
PANEL_INCHES = (4.8, 4.0)
COLUMNS = 3
GOAL_COLOUR = "tab:red"
GOAL_DASHES = ("--", ":", "-.")


class _PlainLogFormatter(ticker.LogFormatterSciNotation):
    """Labels the ticks matplotlib's log formatter labels, as plain numbers: 200, not 2×10²."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:.4g}" if super().__call__(x, pos) else ""


@dataclass(frozen=True)
class Latencies:
    label: str
    ms: dict[str, float]  # by percentile, those the summary has


@dataclass(frozen=True)
class GoalLine:
    label: str
    ms: float


def _latencies(details: Mapping[str, Any], prefix: str = "") -> Iterator[Latencies]:
    for key, value in details.items():
        if not isinstance(value, Mapping):
            continue
        if key.endswith("_ms") and value.get("count"):
            label = f"{prefix}{key.removesuffix('_ms').replace('_', ' ')}"
            yield Latencies(label, {name: value[name] for name in PERCENTILES if name in value})
        else:
            yield from _latencies(value, f"{prefix}{key} ")


def _goal_lines(figures: list[Mapping[str, Any]]) -> list[GoalLine]:
    return [
        GoalLine(f"goal: {figure['name']} {figure['goal']} ms", float(figure["goal"].split()[1]))
        for figure in figures
        if figure.get("unit") == "ms" and figure.get("goal")
    ]


def panels(document: Mapping[str, Any]) -> list[tuple[str, list[Latencies], list[GoalLine]]]:
    """Returns, per scenario that measured latencies, its latency lines and its goals in ms."""
    found = []
    for scenario in document["scenarios"]:
        latencies = list(_latencies(scenario.get("details") or {}))
        if latencies:
            found.append((scenario["name"], latencies, _goal_lines(scenario["figures"])))
    return found


def draw(document: Mapping[str, Any], out: Path) -> Path | None:
    """Writes the plot of `document` (a run's JSON) to `out`; returns it, or None if nothing to plot."""
    found = panels(document)
    if not found:
        return None
    columns = min(COLUMNS, len(found))
    rows = -(-len(found) // columns)
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(PANEL_INCHES[0] * columns, PANEL_INCHES[1] * rows),
        squeeze=False,
        layout="constrained",
    )
    for ax, (name, latencies, goals) in zip(axes.flat, found, strict=False):
        for series in latencies:
            # A log scale has no zero: a percentile under the clock's resolution is left out.
            points = [(PERCENTILES.index(key), ms) for key, ms in series.ms.items() if ms > 0]
            if not points:
                continue
            ax.plot(*zip(*points, strict=True), marker="o", label=series.label)
        for goal, dashes in zip(goals, itertools.cycle(GOAL_DASHES), strict=False):
            ax.axhline(goal.ms, color=GOAL_COLOUR, linestyle=dashes, linewidth=1, label=goal.label)
        ax.set_title(name)
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(_PlainLogFormatter())
        ax.yaxis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False))
        ax.set_xticks(range(len(PERCENTILES)), PERCENTILES)
        ax.set_ylabel("ms")
        ax.grid(True, which="both", axis="y", alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    for ax in axes.flat[len(found) :]:
        ax.set_visible(False)
    finished = str(document.get("finished_at", "?"))[:16].replace("T", " ")
    figure.suptitle(f"Latency percentiles, run of {finished} UTC")
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    plt.close(figure)
    return out


def draw_beside(run: Path) -> Path | None:
    """Writes the plot of the run in `run` beside it, with the same name ending in .png."""
    return draw(json.loads(run.read_text()), run.with_suffix(".png"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench plot", description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, metavar="RUN.json")
    parser.add_argument("out", type=Path, nargs="?", metavar="OUT.png", help="default: beside RUN.json")
    args = parser.parse_args(argv)
    out = args.out or args.run.with_suffix(".png")
    written = draw(json.loads(args.run.read_text()), out)
    if written is None:
        print(f"{args.run} holds no latencies to plot")
        return 1
    print(f"written to {written}")
    return 0
