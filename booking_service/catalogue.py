"""An event's catalogue as a booking is checked against it: read in one statement, and kept in memory.

The catalogue is what only a new snapshot of the event changes (the event's terms, its ticket types,
its quotas and their members), never a count: the seats left are read by `take_seats` itself, in the
call that takes them. Kept in memory, it saves each booking a round trip to PostgreSQL before it
queues for the event's lock.
"""

import json
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import execute_alone

# How many events' catalogues one process keeps (the least recently booked go first); each is at
# most 50 types and 50 quotas, a few tens of kilobytes.
CACHED_EVENTS = 1000

# The event and its catalogue, and the voucher named. One statement: one snapshot.
CATALOGUE = text(
    """
    SELECT e.event_id, e.title, e.owner_id, e.currency, e.max_tickets_per_booking, e.starts_at,
           e.on_sale, e.version, e.timezone, e.hold_minutes, now() AS now,
           (SELECT json_agg(t) FROM (
                SELECT ticket_type_id, name, price, sales_start, sales_end, min_per_booking,
                       max_per_booking, hidden, listed
                  FROM ticket_types WHERE event_id = e.event_id
           ) t) AS kinds,
           (SELECT json_agg(x) FROM (
                SELECT q.quota_id, q.name, array_agg(m.ticket_type_id ORDER BY m.ticket_type_id) AS members
                  FROM quotas q
                  JOIN quota_members m ON m.event_id = q.event_id AND m.quota_id = q.quota_id
                 WHERE q.event_id = e.event_id AND q.listed
                 GROUP BY q.event_id, q.quota_id, q.name
                 ORDER BY q.quota_id
           ) x) AS quotas,
           (SELECT row_to_json(v) FROM vouchers v
             WHERE v.event_id = e.event_id AND v.code_key = CAST(:code_key AS text)) AS voucher
      FROM event_inventory e
     WHERE e.event_id = CAST(:event AS text)
    """
)


@dataclass(frozen=True)
class QuotaRule:
    """A quota of the event: the ticket types whose seats it counts together."""

    quota_id: str
    name: str
    members: list[str]


@dataclass(frozen=True)
class Catalogue:
    """An event's terms and catalogue as stored at `event["version"]`."""

    event: Mapping[str, Any]
    types: dict[str, SimpleNamespace]
    quotas: list[QuotaRule]
    # The database's clock minus this process's, as seen when it was read: sales windows and hold
    # expiries are told by the database's clock, as `take_seats` tells them.
    clock_offset: timedelta

    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset


def _from_json(value: Any, *times: str) -> Any:
    """A row the statement gave as JSON, its `times` read back as datetimes."""
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, dict):
        return {
            name: datetime.fromisoformat(v) if name in times and v is not None else v
            for name, v in value.items()
        }
    return value


async def read(
    session: AsyncSession, *, event_id: str, code_key: str | None
) -> tuple[Catalogue, dict[str, Any] | None] | None:
    """Returns the event's catalogue and the voucher row of `code_key` as they stand, read in a
    transaction of its own; None when the event is unknown here."""
    rows = await execute_alone(session, CATALOGUE, {"event": event_id, "code_key": code_key})
    if not rows:
        return None
    row = rows[0]
    event = {name: row[name] for name in row.keys() if name not in ("kinds", "quotas", "voucher")}
    catalogue = Catalogue(
        event=event,
        types={
            kind["ticket_type_id"]: SimpleNamespace(**kind)
            for kind in (
                _from_json(kind, "sales_start", "sales_end") for kind in _from_json(row["kinds"]) or []
            )
        },
        quotas=[
            QuotaRule(quota["quota_id"], quota["name"], quota["members"])
            for quota in _from_json(row["quotas"]) or []
        ],
        clock_offset=row["now"] - datetime.now(UTC),
    )
    return catalogue, _from_json(row["voucher"], "valid_until")


class CatalogueCache:
    """The catalogues of the events booked lately, by database and event.

    Serving one out of date is safe: `take_seats` refuses a booking checked against any version but
    the one stored (the booking is then checked afresh), and a refusal a kept catalogue gives is
    answered only once a fresh read gives it too.
    """

    def __init__(self, size: int = CACHED_EVENTS) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Catalogue] = OrderedDict()

    def get(self, key: Hashable) -> Catalogue | None:
        catalogue = self._kept.get(key)
        if catalogue is not None:
            self._kept.move_to_end(key)
        return catalogue

    def put(self, key: Hashable, catalogue: Catalogue) -> None:
        self._kept[key] = catalogue
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def drop(self, key: Hashable) -> None:
        self._kept.pop(key, None)

    def clear(self) -> None:
        self._kept.clear()


def key_of(session: AsyncSession, event_id: str) -> Hashable | None:
    """The cache key of an event in the session's database; None for a session bound to no engine."""
    bind = session.bind
    return None if bind is None else (bind.url, event_id)


# One per process: every session of one database sees the same catalogues.
CACHE = CatalogueCache()
