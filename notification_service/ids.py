"""Notification ids that sort by the time they were stored, so `?since=<id>` can resume a stream."""

import re
import secrets
import threading
import time

ID_PATTERN = re.compile(r"^[0-9a-f]{24}$")
_MILLIS_DIGITS = 12


class _TimeOrderedIds:
    """48 bits of milliseconds, then 48 bits that start random each millisecond and count up within it.

    Ids from one process always increase, even if the clock steps back; ids from two replicas
    interleave by their clocks to the millisecond.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._millis = 0
        self._tail = 0

    def reserve(self, count: int) -> str:
        """Returns the first of `count` consecutive ids (see `consecutive_ids`), above every id before."""
        with self._lock:
            millis = max(time.time_ns() // 1_000_000, self._millis)
            if millis == self._millis:
                first = self._tail + 1
            else:
                self._millis, first = millis, secrets.randbits(47)  # room to count up
            self._tail = first + count - 1
            return _format(self._millis, first)

    def next(self) -> str:
        return self.reserve(1)


def _format(millis: int, tail: int) -> str:
    return f"{millis:0{_MILLIS_DIGITS}x}{tail:012x}"


_ids = _TimeOrderedIds()
new_id = _ids.next
reserve_ids = _ids.reserve


def consecutive_ids(first: str, count: int) -> list[str]:
    """Returns `count` ids counting up from `first`, as `reserve_ids` set them aside."""
    millis, tail = int(first[:_MILLIS_DIGITS], 16), int(first[_MILLIS_DIGITS:], 16)
    return [_format(millis, tail + offset) for offset in range(count)]


def is_notification_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None
