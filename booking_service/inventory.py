"""Seat inventory: kept from event snapshots, and given back by cancellations, never read-then-write.

An event's row is its capacity; its catalogue (ticket types, quotas and their members, vouchers)
is kept beside it from the same snapshot. Seats are held and settled together with their booking,
in `holds` and `checkout`.
"""

from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, literal, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.models import Booking, EventInventory, Quota, QuotaMember, TicketType, Voucher
from shared.messages import QuotaFacts, TicketTypeFacts, VoucherFacts

# The name of the one type an event without a catalogue sells, as the event service names it.
DEFAULT_TICKET_TYPE_NAME = "Admission"


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
    timezone: str
    hold_minutes: int
    offer_hours: int
    ticket_types: list[TicketTypeFacts]
    quotas: list[QuotaFacts]
    vouchers: list[VoucherFacts]


def ticket_types_of(event: EventState) -> list[TicketTypeFacts]:
    """The event's types; a snapshot without any (an older release) sells one default type."""
    if event.ticket_types:
        return event.ticket_types
    return [
        TicketTypeFacts(
            ticket_type_id=event.event_id,
            name=DEFAULT_TICKET_TYPE_NAME,
            price=event.price,
            max_per_booking=event.max_tickets_per_booking,
        )
    ]


async def apply_snapshot(session: AsyncSession, event: EventState, *, on_sale: bool) -> bool:
    """Stores an event's latest state and catalogue; returns False for a snapshot older than the one
    stored (then nothing changes).

    Counts (sold, held, used) are never touched. A type, quota or voucher the snapshot no longer
    lists stops selling (limiting, applying) but keeps its counts for the bookings that have it.
    """
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
        "timezone": event.timezone,
        "hold_minutes": event.hold_minutes,
        "offer_hours": event.offer_hours,
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
        .returning(EventInventory.version)
    )
    stored_version = await session.scalar(statement)
    if stored_version is None:
        return False
    # The event's row is locked now, as every hold of the event locks it first: the catalogue
    # changes in one piece between holds. A stop of sales of an older version changes only the row.
    if stored_version == version:
        await _apply_catalogue(session, event)
    return True


async def _apply_catalogue(session: AsyncSession, event: EventState) -> None:
    event_id = event.event_id
    types = ticket_types_of(event)
    await session.execute(update(TicketType).where(TicketType.event_id == event_id).values(listed=False))
    if types:
        type_rows = [
            {
                "event_id": event_id,
                "ticket_type_id": kind.ticket_type_id,
                "name": kind.name,
                "price": kind.price,
                "sales_start": kind.sales_start,
                "sales_end": kind.sales_end,
                "min_per_booking": kind.min_per_booking,
                "max_per_booking": kind.max_per_booking,
                "hidden": kind.hidden,
                "position": kind.position,
                "listed": True,
            }
            for kind in types
        ]
        upsert = insert(TicketType).values(type_rows)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=[TicketType.event_id, TicketType.ticket_type_id],
                set_={name: upsert.excluded[name] for name in type_rows[0] if name not in _TYPE_KEY},
            )
        )
    await session.execute(update(Quota).where(Quota.event_id == event_id).values(listed=False))
    await session.execute(delete(QuotaMember).where(QuotaMember.event_id == event_id))
    if event.quotas:
        quota_rows = [
            {"event_id": event_id, "quota_id": q.quota_id, "name": q.name, "size": q.size, "listed": True}
            for q in event.quotas
        ]
        upsert = insert(Quota).values(quota_rows)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=[Quota.event_id, Quota.quota_id],
                set_={"name": upsert.excluded.name, "size": upsert.excluded.size, "listed": True},
            )
        )
        members = {(q.quota_id, type_id) for q in event.quotas for type_id in q.ticket_type_ids}
        if members:
            await session.execute(
                insert(QuotaMember).values(
                    [{"event_id": event_id, "quota_id": q, "ticket_type_id": t} for q, t in sorted(members)]
                )
            )
    await session.execute(update(Voucher).where(Voucher.event_id == event_id).values(listed=False))
    if event.vouchers:
        # One row per code whatever its case; a snapshot listing a code twice keeps the last.
        by_key = {voucher.code.lower(): voucher for voucher in event.vouchers}
        voucher_rows = [
            {
                "event_id": event_id,
                "code_key": key,
                "code": v.code,
                "max_usages": v.max_usages,
                "valid_until": v.valid_until,
                "ticket_type_ids": list(v.ticket_type_ids),
                "price_mode": v.price_mode,
                "value": v.value,
                "unlocks_hidden": v.unlocks_hidden,
                "disabled": v.disabled,
                "listed": True,
            }
            for key, v in by_key.items()
        ]
        upsert = insert(Voucher).values(voucher_rows)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=[Voucher.event_id, Voucher.code_key],
                set_={name: upsert.excluded[name] for name in voucher_rows[0] if name not in _VOUCHER_KEY},
            )
        )


_TYPE_KEY = ("event_id", "ticket_type_id")
_VOUCHER_KEY = ("event_id", "code_key")


async def get(session: AsyncSession, *, event_id: str, fresh: bool = False) -> EventInventory | None:
    """Returns the inventory of an event this service has seen (`fresh`: reread, not from the session)."""
    return await session.get(EventInventory, event_id, populate_existing=fresh)


async def release_sold(session: AsyncSession, *, booking: Booking) -> None:
    """Gives back what a cancelled booking took: its seats (the event's, then each of its types')
    and its voucher use.

    The event's row is updated (so locked) first, as every hold locks it first.
    """
    event_id = booking.event_id
    await session.execute(
        update(EventInventory)
        .where(EventInventory.event_id == event_id)
        .values(sold=EventInventory.sold - booking.tickets)
    )
    for item in booking.items:
        await session.execute(
            update(TicketType)
            .where(TicketType.event_id == event_id, TicketType.ticket_type_id == item.ticket_type_id)
            .values(sold=TicketType.sold - item.quantity)
        )
    if booking.voucher is not None:
        await session.execute(
            update(Voucher)
            .where(Voucher.event_id == event_id, Voucher.code_key == booking.voucher.lower())
            .values(used=Voucher.used - 1)
        )
