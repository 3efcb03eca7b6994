"""What a run prints and keeps: progress lines, the table of figures beside their goals, the JSON file."""

import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Self

_STARTED = time.monotonic()


def step(scenario: str, message: str) -> None:
    """Prints a progress line, with the seconds since the run began."""
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {scenario}: {message}", flush=True)


GoalOp = Literal[">=", "<", "<=", "=="]
GOAL_OPS: tuple[GoalOp, ...] = (">=", "<", "<=", "==")


@dataclass(frozen=True)
class Goal:
    op: GoalOp
    target: float

    def met(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.op == ">=":
            return value >= self.target
        if self.op == "<":
            return value < self.target
        if self.op == "<=":
            return value <= self.target
        return value == self.target

    def __str__(self) -> str:
        return f"{self.op} {self.target:g}"

    @classmethod
    def parse(cls, text: str) -> Self:
        """Reads a goal as `str` writes it, e.g. `>= 300`."""
        op, target = text.split()
        for known in GOAL_OPS:
            if op == known:
                return cls(known, float(target))
        raise ValueError(f"Unknown goal operator {op!r} in {text!r}")


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str = ""
    goal: Goal | None = None

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.goal.met(self.value)


@dataclass
class ScenarioResult:
    name: str
    parameters: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def number(value: float) -> str:
    """Formats a figure's value: whole numbers whole, small ones to three digits, others to one decimal."""
    if math.isnan(value):
        return "n/a"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def _verdict(figure: Figure) -> str:
    return {None: "", True: "met", False: "MISSED"}[figure.met]


def print_table(results: list[ScenarioResult]) -> None:
    rows = [("scenario", "figure", "value", "goal", "")]
    for result in results:
        if result.error is not None:
            rows.append((result.name, "failed", result.error, "", "ERROR"))
        for figure in result.figures:
            goal = f"{figure.goal} {figure.unit}".strip() if figure.goal else "-"
            value = f"{number(figure.value)} {figure.unit}".strip()
            rows.append((result.name, figure.name, value, goal, _verdict(figure)))
    print_rows(rows)


def print_rows(rows: list[tuple[str, ...]]) -> None:
    """Prints `rows` as columns, the first row as their heading."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    print()
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _figure_json(figure: Figure) -> dict[str, Any]:
    return {**asdict(figure), "goal": str(figure.goal) if figure.goal else None, "met": figure.met}


def write_json(results: list[ScenarioResult], directory: Path) -> Path:
    """Writes the run's results to a new file in `directory`; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = directory / f"bench-{now:%Y%m%d-%H%M%S}.json"
    document = {
        "finished_at": now.isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load": os.getloadavg()},
        "scenarios": [
            {
                "name": result.name,
                "parameters": result.parameters,
                "figures": [_figure_json(figure) for figure in result.figures],
                "details": result.details,
                "error": result.error,
            }
            for result in results
        ],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path
