"""Compares two runs' JSON figure by figure, so a regression shows at a glance.

`python -m bench compare [OLD.json NEW.json]` (without files: the two newest in bench/results/) prints,
per figure, the old and new values, new/old, and whether it got better or worse. A figure's better
direction is its goal's (`>=` higher, `<` and `<=` lower, `==` nearer the target); without a goal, its
unit's (time and memory lower, rates higher). A change within `NOISE` of the old value is "same": two
runs of this machine differ that much with nothing changed.
"""

import argparse
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bench.report import Goal, number, print_rows

RESULTS = Path(__file__).resolve().parent / "results"
NOISE = 0.05
LOWER_IS_BETTER = frozenset({"ms", "s", "us", "KB", "MiB"})
HIGHER_IS_BETTER = frozenset({"/s", "req/s"})

Verdict = Literal["better", "worse", "same", ""]


@dataclass(frozen=True)
class Change:
    scenario: str
    figure: str
    unit: str
    old: float | None  # None: the run has no such figure
    new: float | None
    goal: Goal | None

    @property
    def known(self) -> tuple[float, float] | None:
        """Both values, when both runs have a number for the figure."""
        if self.old is None or self.new is None or math.isnan(self.old) or math.isnan(self.new):
            return None
        return self.old, self.new

    @property
    def ratio(self) -> float | None:
        """new / old, or None when either is unknown or old is zero."""
        if self.known is None or self.known[0] == 0:
            return None
        old, new = self.known
        return new / old

    @property
    def verdict(self) -> Verdict:
        if self.known is None:
            return ""
        old, new = self.known
        if self.goal is not None and self.goal.op == "==":
            return _closer(abs(old - self.goal.target), abs(new - self.goal.target))
        higher = _higher_is_better(self.goal, self.unit)
        if higher is None:
            return ""
        if old == new or (old != 0 and abs(new - old) / abs(old) <= NOISE):
            return "same"
        return "better" if (new > old) == higher else "worse"


def _closer(old_distance: float, new_distance: float) -> Verdict:
    if old_distance == new_distance:
        return "same"
    return "better" if new_distance < old_distance else "worse"


def _higher_is_better(goal: Goal | None, unit: str) -> bool | None:
    """Returns which way is better for a figure, or None when neither its goal nor its unit says."""
    if goal is not None:
        return goal.op == ">="
    if unit in LOWER_IS_BETTER:
        return False
    if unit in HIGHER_IS_BETTER:
        return True
    return None


def _figures(document: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The run's figures by (scenario, figure name), in the order they were written."""
    return {
        (scenario["name"], figure["name"]): figure
        for scenario in document["scenarios"]
        for figure in scenario["figures"]
    }


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Returns a change per figure of either run."""
    old_figures, new_figures = _figures(old), _figures(new)
    # Grouped by scenario, in the new run's order; what only the old run has ends its scenario.
    keys = list(dict.fromkeys([*new_figures, *old_figures]))
    scenarios = list(dict.fromkeys(scenario for scenario, _ in keys))
    keys.sort(key=lambda key: scenarios.index(key[0]))
    found = []
    for scenario, name in keys:
        before, after = old_figures.get((scenario, name)), new_figures.get((scenario, name))
        described = after or before
        assert described is not None
        goal = described.get("goal")
        found.append(
            Change(
                scenario=scenario,
                figure=name,
                unit=described.get("unit", ""),
                old=None if before is None else before["value"],
                new=None if after is None else after["value"],
                goal=Goal.parse(goal) if goal else None,
            )
        )
    return found


def parameter_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[str]:
    """Says, per scenario both ran, which parameters differ: their figures may not compare."""
    old_parameters = {scenario["name"]: scenario["parameters"] for scenario in old["scenarios"]}
    for scenario in new["scenarios"]:
        before = old_parameters.get(scenario["name"])
        if not before or not scenario["parameters"]:  # a failed scenario records none
            continue
        names = sorted(set(before) | set(scenario["parameters"]))
        differ = [
            f"{name} {before.get(name, '-')} -> {scenario['parameters'].get(name, '-')}"
            for name in names
            if before.get(name) != scenario["parameters"].get(name)
        ]
        if differ:
            yield f"{scenario['name']}: parameters differ: {', '.join(differ)}"


def _cell(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{number(value)} {unit}".strip()


def _goal_cell(change: Change) -> str:
    """The goal, and whether the new run met it (and when that changed, what the old one did)."""
    if change.goal is None:
        return "-"
    goal = f"{change.goal} {change.unit}".strip()
    if change.new is None or math.isnan(change.new):
        return goal
    met = change.goal.met(change.new)
    cell = f"{goal} {'met' if met else 'MISSED'}"
    if change.known is not None and change.goal.met(change.known[0]) != met:
        cell += " (was missed)" if met else " (was met)"
    return cell


def print_comparison(old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    rows = [("scenario", "figure", "old", "new", "new/old", "change", "goal (new)")]
    for change in changes(old, new):
        ratio = "-" if change.ratio is None else f"{change.ratio:.2f}"
        rows.append(
            (
                change.scenario,
                change.figure,
                _cell(change.old, change.unit),
                _cell(change.new, change.unit),
                ratio,
                change.verdict,
                _goal_cell(change),
            )
        )
    print_rows(rows)
    for line in parameter_differences(old, new):
        print(f"\nnote: {line}")


def newest_two(directory: Path) -> tuple[Path, Path]:
    """The two newest runs in `directory`, older first (their names hold the time they finished)."""
    runs = sorted(directory.glob("bench-*.json"))
    if len(runs) < 2:
        raise SystemExit(f"Comparing needs two runs in {directory}; found {len(runs)}")
    return runs[-2], runs[-1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compare", description=__doc__.splitlines()[0])
    parser.add_argument(
        "runs", nargs="*", type=Path, metavar="RUN.json", help="OLD and NEW (default: the newest two)"
    )
    parser.add_argument(
        "--results-dir", type=Path, default=RESULTS, help=f"where runs are (default: {RESULTS})"
    )
    args = parser.parse_args(argv)
    if len(args.runs) not in (0, 2):
        parser.error("give two runs, OLD and NEW, or none for the newest two")
    old_path, new_path = args.runs or newest_two(args.results_dir)
    print(f"old: {old_path}\nnew: {new_path}")
    print_comparison(json.loads(old_path.read_text()), json.loads(new_path.read_text()))
    return 0
