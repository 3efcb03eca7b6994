"""Entity tags built from the event's version, and the conditional headers that compare them."""

import re

ANY = "*"
_TAG = re.compile(r'^(W/)?"([^"]*)"$')
_VERSION = re.compile(r"[0-9]{1,18}")


def etag_of(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> list[tuple[bool, str]]:
    """Returns (weak, opaque value) for each well-formed tag in a comma-separated header."""
    tags = []
    for part in header.split(","):
        match = _TAG.match(part.strip())
        if match:
            tags.append((match.group(1) is not None, match.group(2)))
    return tags


def versions_in_if_match(header: str | None) -> frozenset[int] | None:
    """Returns the versions an `If-Match` header accepts; None when it accepts any (absent or `*`).

    `If-Match` compares strongly (RFC 9110 13.1.1): a weak tag never matches, and a header naming no
    version we issue yields an empty set, which nothing matches (412).
    """
    if header is None or header.strip() == ANY:
        return None
    return frozenset(int(value) for weak, value in _tags(header) if not weak and _VERSION.fullmatch(value))


def none_match(header: str | None, version: int) -> bool:
    """Returns whether an `If-None-Match` header lets the request through (its tags miss `version`).

    `If-None-Match` compares weakly (RFC 9110 13.1.2), so `W/"3"` matches version 3.
    """
    if header is None:
        return True
    if header.strip() == ANY:
        return False
    return str(version) not in {value for _, value in _tags(header)}
