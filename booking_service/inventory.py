"""Seat inventory: kept from event snapshots, and given back by cancellations, never read-then-write.

Seats are held and settled together with their booking, in `holds`.
"""

from datetime import datetime
from typing import Protocol

from sqlalchemy import literal, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.models import EventInventory


class EventState(Protocol):
    """What the inventory keeps of an event: an `event.*` message, or the event service's answer."""

    event_id: str
    title: str
    owner_id: str
    capacity: int
    price: int
    currency: str
    max_tickets_per_booking: int
    starts_at: datetime
    status: str
    version: int


async def apply_snapshot(session: AsyncSession, event: EventState, *, on_sale: bool) -> bool:
    """Stores an event's latest state; returns False for a snapshot older than the one stored."""
    version = event.version
    values = {
        "title": event.title,
        "owner_id": event.owner_id,
        "capacity": event.capacity,
        "price": event.price,
        "currency": event.currency,
        "max_tickets_per_booking": event.max_tickets_per_booking,
        "starts_at": event.starts_at,
        "on_sale": on_sale,
        "version": version,
    }
    statement = (
        insert(EventInventory)
        .values(event_id=event.event_id, sold=0, held=0, **values)
        .on_conflict_do_update(
            index_elements=[EventInventory.event_id],
            set_=values,
            # Sales, once stopped, stay stopped: a cancellation applies whatever its version.
            where=or_(EventInventory.version < version, literal(not on_sale)),
        )
        .returning(EventInventory.event_id)
    )
    return await session.scalar(statement) is not None


async def get(session: AsyncSession, *, event_id: str, fresh: bool = False) -> EventInventory | None:
    """Returns the inventory of an event this service has seen (`fresh`: reread, not from the session)."""
    return await session.get(EventInventory, event_id, populate_existing=fresh)


async def release_sold(session: AsyncSession, *, event_id: str, tickets: int) -> None:
    """Gives back seats of a cancelled booking."""
    await session.execute(
        update(EventInventory)
        .where(EventInventory.event_id == event_id)
        .values(sold=EventInventory.sold - tickets)
    )
