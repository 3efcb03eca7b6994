"""What this service keeps of events: their owner, times, status and ticket types' names.

Kept from `event.*` snapshots (newer versions only); an event whose booking arrives first is asked of
the event service, so that its tickets get their validity.
"""

import logging
from datetime import datetime, timedelta

import httpx
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service.errors import EventServiceUnavailableError
from checkin_service.models import Event
from shared.messages import EventDeleted, EventSnapshot
from shared.tracing import add_traceparent

logger = logging.getLogger(__name__)


class _TicketTypeRecord(BaseModel):
    id: str
    name: str


class _EventRecord(BaseModel):
    """The parts of the event service's `EventPublic` this service keeps."""

    id: str
    owner_id: str
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime
    version: int
    ticket_types: list[_TicketTypeRecord] = []


class EventClient:
    """Reads one event from the event service (public, no token needed)."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self._client = httpx.AsyncClient(
            base_url=url, timeout=timeout, event_hooks={"request": [add_traceparent]}
        )

    async def __aenter__(self) -> "EventClient":
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._client.aclose()

    async def get(self, event_id: str) -> _EventRecord | None:
        """Returns the event, or None when the event service has no such event."""
        try:
            response = await self._client.get(f"/events/{event_id}")
        except httpx.HTTPError as exc:
            raise EventServiceUnavailableError(f"The event service did not answer: {exc!r}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise EventServiceUnavailableError(f"The event service answered {response.status_code}")
        try:
            return _EventRecord.model_validate_json(response.content)
        except ValidationError as exc:
            raise EventServiceUnavailableError(f"The event service answered an unknown event: {exc}") from exc


def validity(event: Event, *, before: timedelta, after: timedelta) -> tuple[datetime, datetime]:
    """Returns when the event's tickets admit: from `before` its start to `after` its end."""
    return event.starts_at - before, event.ends_at + after


async def keep_snapshot(
    session: AsyncSession, *, snapshot: EventSnapshot
) -> tuple[tuple[datetime, datetime] | None, Event | None]:
    """Stores a snapshot newer than the kept one; returns the times kept before (None for a new
    event) and the event now kept (None when the snapshot was older). Call inside a transaction:
    the event's row stays locked until it ends."""
    status = "deleted" if isinstance(snapshot, EventDeleted) else snapshot.status
    values = {
        "owner_id": snapshot.owner_id,
        "title": snapshot.title[:200],
        "status": status,
        "starts_at": snapshot.starts_at,
        "ends_at": snapshot.ends_at,
        "version": snapshot.version,
        "ticket_types": {facts.ticket_type_id: facts.name[:200] for facts in snapshot.ticket_types},
    }
    kept = await session.execute(
        select(Event.starts_at, Event.ends_at).where(Event.event_id == snapshot.event_id).with_for_update()
    )
    before = kept.first()
    statement = insert(Event).values(event_id=snapshot.event_id, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[Event.event_id], set_=values, where=Event.version < statement.excluded.version
    ).returning(Event)
    after = await session.scalar(statement.execution_options(populate_existing=True))
    return (before.starts_at, before.ends_at) if before is not None else None, after


async def ensure_event(session: AsyncSession, *, events: EventClient, event_id: str) -> Event | None:
    """Returns the kept event, asking the event service for one not kept yet; None if it has none."""
    kept = await session.get(Event, event_id)
    if kept is not None:
        return kept
    record = await events.get(event_id)
    if record is None:
        logger.warning("The event service has no event %s", event_id)
        return None
    statement = (
        insert(Event)
        .values(
            event_id=record.id,
            owner_id=record.owner_id,
            title=record.title[:200],
            status=record.status if record.status in ("scheduled", "cancelled") else "scheduled",
            starts_at=record.starts_at,
            ends_at=record.ends_at,
            version=record.version,
            ticket_types={ticket_type.id: ticket_type.name[:200] for ticket_type in record.ticket_types},
        )
        .on_conflict_do_nothing()
    )
    await session.execute(statement)
    return await session.get(Event, event_id)
