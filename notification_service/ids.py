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

    def next(self) -> str:
        """Returns an id above every id this process made before."""
        with self._lock:
            millis = max(time.time_ns() // 1_000_000, self._millis)
            if millis == self._millis:
                self._tail += 1
            else:
                self._millis, self._tail = millis, secrets.randbits(47)  # room to count up
            return f"{self._millis:0{_MILLIS_DIGITS}x}{self._tail:012x}"


new_id = _TimeOrderedIds().next


def window_start(since: str, seconds: float) -> str:
    """Returns the lowest id a notification could have had if its id was taken `seconds` before `since`'s."""
    millis = max(int(since[:_MILLIS_DIGITS], 16) - round(seconds * 1000), 0)
    return f"{millis:0{_MILLIS_DIGITS}x}{0:012x}"


def is_notification_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None
