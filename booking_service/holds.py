"""Seats held for a booking, and the hold settled, each by one SQL statement that commits on its own.

Holding writes the event's seats and the pending booking together; settling writes the booking's
outcome, the seats it sells or gives back, and the outbox row announcing it. Run alone (autocommit),
a statement keeps the event's seat row locked only while PostgreSQL runs it, never across a round
trip to this process, so the buyers of one event pass that lock on quickly.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    Uuid,
    bindparam,
    case,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.models import Booking, EventInventory, OutboxMessage
from booking_service.schemas import BookingCreate, BookingStatus
from shared.db import execute_alone
from shared.messages import MessageData
from shared.outbox import mark_staged, outbox_row

_bookings = Booking.__table__
_seats = EventInventory.__table__
# The booking's columns in the hold's answer, apart from the seats' (both have an `event_id`).
_PREFIX = "booking_"

# The statements are built once. No parameter is named after a column: an UPDATE would also set
# every column a parameter is named after.


def _hold_statement() -> Select[Any]:
    tickets = bindparam("wanted", type_=Integer)
    reserved = (
        update(_seats)
        .where(
            _seats.c.event_id == bindparam("event"),
            _seats.c.on_sale,
            _seats.c.starts_at > func.now(),
            _seats.c.max_tickets_per_booking >= tickets,
            _seats.c.sold + _seats.c.held + tickets <= _seats.c.capacity,
        )
        .values(held=_seats.c.held + tickets)
        .returning(_seats.c.event_id, _seats.c.title, _seats.c.owner_id, _seats.c.price, _seats.c.currency)
        .cte("reserved")
    )
    pending = select(
        bindparam("booking", type_=Uuid),
        bindparam("user", type_=String),
        reserved.c.event_id,
        reserved.c.title,
        reserved.c.owner_id,
        tickets,
        reserved.c.price * tickets,
        reserved.c.currency,
        bindparam("method", type_=String),
        literal(BookingStatus.PENDING.value),
        bindparam("key", type_=String),
        func.now(),
        func.now(),
    )
    columns = [
        "id",
        "user_id",
        "event_id",
        "event_title",
        "event_owner_id",
        "tickets",
        "amount",
        "currency",
        "payment_method",
        "status",
        "idempotency_key",
        "created_at",
        "updated_at",
    ]
    booked = insert(_bookings).from_select(columns, pending).returning(*_bookings.c).cte("booked")
    # The seats as they stood when the statement began: what explains a refusal.
    return (
        select(*(column.label(_PREFIX + column.name) for column in booked.c), *_seats.c)
        .select_from(_seats.outerjoin(booked, true()))
        .where(_seats.c.event_id == bindparam("event"))
    )


def _settle_statement() -> Select[Any]:
    settled = (
        update(_bookings)
        .where(_bookings.c.id == bindparam("booking"), _bookings.c.status == BookingStatus.PENDING.value)
        .values(
            status=bindparam("outcome", type_=String),
            payment_id=bindparam("payment", type_=String),
            failure_reason=bindparam("reason", type_=String),
            updated_at=func.now(),
        )
        .returning(*_bookings.c)
        .cte("settled")
    )
    sold = case((settled.c.status == BookingStatus.CONFIRMED.value, settled.c.tickets), else_=0)
    seats_moved = (
        update(_seats)
        .where(_seats.c.event_id == settled.c.event_id)
        .values(held=_seats.c.held - settled.c.tickets, sold=_seats.c.sold + sold)
        .cte("seats_moved")
    )
    message = select(
        bindparam("message", type_=Uuid),
        bindparam("message_type", type_=String),
        bindparam("message_envelope", type_=JSONB),
    ).select_from(settled)
    staged = insert(OutboxMessage.__table__).from_select(["message_id", "type", "envelope"], message)
    return select(settled).add_cte(seats_moved, staged.cte("staged"))


HOLD = _hold_statement()
SETTLE = _settle_statement()


@dataclass(frozen=True)
class Hold:
    """What asking for seats gave: the pending booking, or else the seats as they stood."""

    booking: Booking | None
    # None when this service has not seen the event yet.
    seats: EventInventory | None


async def hold(
    session: AsyncSession, *, user_id: str, booking_in: BookingCreate, idempotency_key: str | None
) -> Hold:
    """Holds the seats and stores the booking `pending` if the event is on sale, upcoming and has room."""
    rows = await execute_alone(
        session,
        HOLD,
        {
            "booking": uuid.uuid4(),
            "user": user_id,
            "event": booking_in.event_id,
            "wanted": booking_in.tickets,
            "method": booking_in.payment_method,
            "key": idempotency_key,
        },
    )
    if not rows:
        return Hold(booking=None, seats=None)
    row = rows[0]._mapping
    if row[_PREFIX + "id"] is not None:
        return Hold(booking=Booking(**{c.name: row[_PREFIX + c.name] for c in _bookings.c}), seats=None)
    return Hold(booking=None, seats=EventInventory(**{c.name: row[c] for c in _seats.c}))


async def settle(
    session: AsyncSession,
    *,
    booking_id: uuid.UUID,
    status: BookingStatus,
    payment_id: str | None,
    failure_reason: str | None,
    message: MessageData,
) -> Booking | None:
    """Settles a pending booking: its seats sold (confirmed) or given back (failed), and `message` staged.

    Returns the booking settled, or None when it was no longer pending (settled by someone else).
    """
    staged = outbox_row(OutboxMessage, message)
    rows = await execute_alone(
        session,
        SETTLE,
        {
            "booking": booking_id,
            "outcome": status.value,
            "payment": payment_id,
            "reason": failure_reason,
            "message": staged["message_id"],
            "message_type": staged["type"],
            "message_envelope": staged["envelope"],
        },
    )
    if not rows:
        return None
    mark_staged(session)
    return Booking(**rows[0]._mapping)
