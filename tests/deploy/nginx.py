"""Just enough of nginx's location matching to check where the gateway sends a path."""

import re
from dataclasses import dataclass
from pathlib import Path

_LOCATION = re.compile(r"location\s+(=|~|\^~)?\s*(\S+)\s*\{([^{}]*)\}", re.S)
_PROXY_PASS = re.compile(r"proxy_pass\s+http://([\w-]+)\s*;")


@dataclass(frozen=True)
class Location:
    modifier: str
    pattern: str
    body: str

    @property
    def upstream(self) -> str | None:
        found = _PROXY_PASS.search(self.body)
        return found.group(1) if found else None


def locations(config: Path) -> list[Location]:
    return [
        Location(modifier or "", pattern, body)
        for modifier, pattern, body in _LOCATION.findall(config.read_text())
    ]


def upstreams(config: Path) -> dict[str, str]:
    """Returns each upstream's name and the `host:port` it points at."""
    return dict(re.findall(r"upstream\s+([\w-]+)\s*\{\s*server\s+([\w.:-]+);", config.read_text()))


def route(path: str, config: list[Location]) -> Location | None:
    """Returns the location nginx picks for `path`: exact, then longest prefix unless a regex matches."""
    for location in config:
        if location.modifier == "=" and location.pattern == path:
            return location
    prefixes = [loc for loc in config if loc.modifier in ("", "^~") and path.startswith(loc.pattern)]
    longest = max(prefixes, key=lambda loc: len(loc.pattern), default=None)
    if longest is not None and longest.modifier == "^~":
        return longest
    for location in config:
        if location.modifier == "~" and re.search(location.pattern, path):
            return location
    return longest
