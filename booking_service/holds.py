"""Seats held for a booking, and the hold settled, each by one SQL statement that commits on its own.

Holding writes the event's seats and the pending booking together; settling writes the booking's
outcome, the seats it sells or gives back, and the outbox row announcing it. Run alone (autocommit),
a statement keeps the event's seat row locked only while PostgreSQL runs it, never across a round
trip to this process, so the buyers of one event pass that lock on quickly.

The seat rule lives here only (`_SEAT_RULE`): the hold tests it, and a refused hold answers which
part of it failed, read from the same expressions.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal,
    not_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.models import Booking, EventInventory, OutboxMessage
from booking_service.schemas import MAX_AMOUNT, BookingCreate, BookingStatus
from shared.db import execute_alone
from shared.messages import MessageData
from shared.outbox import mark_staged, staging_insert, staging_parameters

_bookings = Booking.__table__
_seats = EventInventory.__table__
# The booking's columns in the hold's answer, apart from the seats' (both have an `event_id`).
_PREFIX = "booking_"

# The statements are built once. No parameter is named after a column: an UPDATE would also set
# every column a parameter is named after.
_wanted = bindparam("wanted", type_=Integer)
_available = EventInventory.available.expression

# What a hold needs of the seats, in the order a refusal names the first that fails.
_SEAT_RULE: dict[str, ColumnElement[bool]] = {
    "not_on_sale": _seats.c.on_sale,
    "started": _seats.c.starts_at > func.now(),
    "too_many_tickets": _seats.c.max_tickets_per_booking >= _wanted,
    # In 64 bits: price times tickets may not fit the 32-bit `amount` this rule keeps it within.
    "over_max_amount": cast(_seats.c.price, BigInteger) * _wanted <= MAX_AMOUNT,
    "not_enough_seats": _available >= _wanted,
}


def _reserve_statement() -> Select[Any]:
    reserved = (
        update(_seats)
        .where(_seats.c.event_id == bindparam("event"), and_(*_SEAT_RULE.values()))
        .values(held=_seats.c.held + _wanted)
        .returning(_seats.c.event_id, _seats.c.title, _seats.c.owner_id, _seats.c.price, _seats.c.currency)
        .cte("reserved")
    )
    pending = {
        "id": bindparam("booking", type_=Uuid),
        "user_id": bindparam("user", type_=String),
        "event_id": reserved.c.event_id,
        "event_title": reserved.c.title,
        "event_owner_id": reserved.c.owner_id,
        "tickets": _wanted,
        "amount": reserved.c.price * _wanted,
        "currency": reserved.c.currency,
        "payment_method": bindparam("method", type_=String),
        "status": literal(BookingStatus.PENDING.value),
        "idempotency_key": bindparam("key", type_=String),
        "created_at": func.now(),
        "updated_at": func.now(),
    }
    booked = (
        insert(_bookings)
        .from_select(list(pending), select(*(value.label(name) for name, value in pending.items())))
        .returning(*_bookings.c)
        .cte("booked")
    )
    refusal = case(*((not_(condition), reason) for reason, condition in _SEAT_RULE.items()), else_=None)
    # The seats as they stood when the statement began: what explains a refusal.
    return (
        select(
            *(column.label(_PREFIX + column.name) for column in booked.c),
            refusal.label("refusal"),
            _available.label("available"),
            _seats.c.max_tickets_per_booking,
        )
        .select_from(_seats.outerjoin(booked, true()))
        .where(_seats.c.event_id == bindparam("event"))
    )


def _record_outcome_statement() -> Select[Any]:
    # The seats are locked before the booking, in the order a hold takes them. A hold reusing the
    # booking's Idempotency-Key holds the seats and waits on the booking; the other order deadlocks.
    booking_event = select(_bookings.c.event_id).where(_bookings.c.id == bindparam("booking"))
    seats_locked = (
        select(_seats.c.event_id)
        .where(_seats.c.event_id == booking_event.scalar_subquery())
        .with_for_update()
        .cte("seats_locked")
    )
    settled = (
        update(_bookings)
        .where(
            _bookings.c.id == bindparam("booking"),
            _bookings.c.status == BookingStatus.PENDING.value,
            _bookings.c.event_id == seats_locked.c.event_id,
        )
        .values(
            status=bindparam("outcome", type_=String),
            payment_id=bindparam("payment", type_=String),
            failure_reason=bindparam("reason", type_=String),
            idempotency_key=case(
                (bindparam("forget_key", type_=Boolean), None), else_=_bookings.c.idempotency_key
            ),
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
    staged = staging_insert(OutboxMessage, settled).cte("staged")
    return select(settled).add_cte(seats_moved, staged)


RESERVE = _reserve_statement()
RECORD_OUTCOME = _record_outcome_statement()


@dataclass(frozen=True)
class Refusal:
    """Which part of the seat rule a hold failed (None: none, the seats changed while it waited)."""

    reason: str | None
    available: int
    max_tickets_per_booking: int


@dataclass(frozen=True)
class Reservation:
    """What asking for seats gave: the pending booking, or else why not."""

    booking: Booking | None
    # None when this service has not seen the event yet.
    refusal: Refusal | None


async def reserve_seats(
    session: AsyncSession, *, user_id: str, booking_in: BookingCreate, idempotency_key: str | None
) -> Reservation:
    """Holds the seats and stores the booking `pending` if the event is on sale, upcoming and has room."""
    rows = await execute_alone(
        session,
        RESERVE,
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
        return Reservation(booking=None, refusal=None)
    row = rows[0]._mapping
    if row[_PREFIX + "id"] is not None:
        booking = Booking(**{column.name: row[_PREFIX + column.name] for column in _bookings.c})
        return Reservation(booking=booking, refusal=None)
    refusal = Refusal(row["refusal"], row["available"], row["max_tickets_per_booking"])
    return Reservation(booking=None, refusal=refusal)


async def record_outcome(
    session: AsyncSession,
    *,
    booking_id: uuid.UUID,
    status: BookingStatus,
    payment_id: str | None,
    failure_reason: str | None,
    message: MessageData,
    forget_key: bool = False,
) -> Booking | None:
    """Settles a pending booking: its seats sold (confirmed) or given back, and `message` staged;
    `forget_key` releases its Idempotency-Key.

    Returns the booking settled, or None when it was no longer pending (settled by someone else).
    """
    rows = await execute_alone(
        session,
        RECORD_OUTCOME,
        {
            "booking": booking_id,
            "outcome": status.value,
            "payment": payment_id,
            "reason": failure_reason,
            "forget_key": forget_key,
            **staging_parameters(OutboxMessage, message),
        },
    )
    if not rows:
        return None
    mark_staged(session)
    return Booking(**rows[0]._mapping)
