"""A booking's seats settled, and a hold taken to payment, each by one SQL statement that commits on
its own.

Settling writes the booking's outcome, the seats it sells or gives back (the event's, and each of
its ticket types'), the voucher use it gives back, the state of the waiting list entry it was
offered to (if it is an offer), and the outbox row announcing it. Run alone
(autocommit), a statement keeps the event's seat row locked only while PostgreSQL runs it, never
across a round trip to this process. Seats are reserved in `checkout`, which locks the same row
first: settling locks it before the booking. Taking a hold to payment locks only the booking.
"""

import uuid
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Select, String, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.facts import ITEM_COLUMNS
from booking_service.models import (
    Booking,
    BookingItem,
    EventInventory,
    OutboxMessage,
    TicketType,
    Voucher,
    WaitingListEntry,
)
from booking_service.schemas import BookingStatus
from booking_service.waiting_list_schemas import WaitingListState
from shared.db import execute_alone
from shared.messages import MessageData
from shared.outbox import mark_staged, staging_insert, staging_parameters

_bookings = Booking.__table__
_items = BookingItem.__table__
_seats = EventInventory.__table__
_types = TicketType.__table__
_vouchers = Voucher.__table__
_entries = WaitingListEntry.__table__


# The statements are built once. No parameter is named after a column: an UPDATE would also set
# every column a parameter is named after.
def _seats_locked(*conditions: ColumnElement[bool]) -> Any:
    # The seats are locked before the booking, in the order a hold takes them. A hold reusing the
    # booking's Idempotency-Key holds the seats and waits on the booking; the other order deadlocks.
    booking_event = select(_bookings.c.event_id).where(_bookings.c.id == bindparam("booking"))
    return (
        select(_seats.c.event_id)
        .where(_seats.c.event_id == booking_event.scalar_subquery(), *conditions)
        .with_for_update()
        .cte("seats_locked")
    )


def _record_outcome_statement() -> Select[Any]:
    seats_locked = _seats_locked()
    settled = (
        update(_bookings)
        .where(
            _bookings.c.id == bindparam("booking"),
            _bookings.c.status == bindparam("from_status", type_=String),
            # Run first, once (not a join, which would offer to find the booking among its event's).
            select(seats_locked.c.event_id).exists(),
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
    confirmed = settled.c.status == BookingStatus.CONFIRMED.value
    seats_moved = (
        update(_seats)
        .where(_seats.c.event_id == settled.c.event_id)
        .values(
            held=_seats.c.held - settled.c.tickets,
            sold=_seats.c.sold + case((confirmed, settled.c.tickets), else_=0),
        )
        .cte("seats_moved")
    )
    # Each type is in a booking once, so each type row is updated once. The items are found by the
    # booking's id as a value, never by their type: a join would offer every item of the type.
    types_moved = (
        update(_types)
        .where(
            _items.c.booking_id == select(settled.c.id).scalar_subquery(),
            _types.c.event_id == settled.c.event_id,
            _types.c.ticket_type_id == _items.c.ticket_type_id,
        )
        .values(
            held=_types.c.held - _items.c.quantity,
            sold=_types.c.sold + case((confirmed, _items.c.quantity), else_=0),
        )
        .cte("types_moved")
    )
    # A booking that does not sell gives its voucher use back.
    voucher_freed = (
        update(_vouchers)
        .where(
            _vouchers.c.event_id == settled.c.event_id,
            _vouchers.c.code_key == func.lower(settled.c.voucher),
            ~confirmed,
        )
        .values(used=_vouchers.c.used - 1)
        .cte("voucher_freed")
    )
    # An offer paid books its entry; one that ends unpaid ends it (`expired`, or `entry_state`).
    entry_followed = (
        update(_entries)
        .where(
            _entries.c.id == settled.c.waiting_list_entry_id,
            _entries.c.state == WaitingListState.OFFERED.value,
        )
        .values(
            state=case(
                (confirmed, WaitingListState.BOOKED.value),
                else_=func.coalesce(bindparam("entry_state", type_=String), WaitingListState.EXPIRED.value),
            ),
            updated_at=func.now(),
        )
        .cte("entry_followed")
    )
    staged = staging_insert(OutboxMessage, settled).cte("staged")
    return select(settled).add_cte(seats_moved, types_moved, voucher_freed, entry_followed, staged)


def _to_payment_statement() -> Select[Any]:
    # Only while its event still sells. The seats are read, not locked: their row is the event's one
    # lock, held by every sale through its commit's WAL flush, and a hold taken to payment changes no
    # count. A cancellation committed meanwhile finds the booking either held (and releases it
    # first, so this matches nothing) or pending (and waits for its outcome, refunding a sale), as
    # it does a booking paid at once.
    still_selling = (
        select(_seats.c.event_id)
        .where(_seats.c.event_id == _bookings.c.event_id, _seats.c.on_sale, _seats.c.starts_at > func.now())
        .exists()
    )
    paying = (
        update(_bookings)
        .where(
            _bookings.c.id == bindparam("booking"),
            _bookings.c.user_id == bindparam("user", type_=String),
            _bookings.c.status == BookingStatus.HELD.value,
            _bookings.c.expires_at > func.now(),
            still_selling,
        )
        .values(
            status=BookingStatus.PENDING.value,
            payment_method=func.coalesce(bindparam("method", type_=String), _bookings.c.payment_method),
            updated_at=func.now(),
        )
        .returning(*_bookings.c)
        .cte("paying")
    )
    # Its items too, in the same round trip: the payment's answer and messages tell them.
    items = (
        select(func.json_agg(func.json_build_object(*_item_fields())))
        .where(_items.c.booking_id == paying.c.id)
        .scalar_subquery()
    )
    return select(paying, items.label("items_json"))


def _item_fields() -> list[Any]:
    fields: list[Any] = []
    for name in ITEM_COLUMNS:
        fields.extend((name, _items.c[name]))
    return fields


RECORD_OUTCOME = _record_outcome_statement()
TO_PAYMENT = _to_payment_statement()


async def record_outcome(
    session: AsyncSession,
    *,
    booking_id: uuid.UUID,
    status: BookingStatus,
    payment_id: str | None,
    failure_reason: str | None,
    message: MessageData,
    forget_key: bool = False,
    from_status: BookingStatus = BookingStatus.PENDING,
    entry_state: WaitingListState | None = None,
) -> Booking | None:
    """Settles a booking still `from_status` (pending, or held for a hold that expires): its seats
    sold (confirmed) or given back with its voucher use, and `message` staged; `forget_key` releases
    its Idempotency-Key. An offer's waiting list entry is booked, or ends `entry_state` (by default
    `expired`).

    Returns the booking settled, or None when it was no longer `from_status` (settled by someone else).
    """
    rows = await execute_alone(
        session,
        RECORD_OUTCOME,
        {
            "booking": booking_id,
            "from_status": from_status.value,
            "outcome": status.value,
            "payment": payment_id,
            "reason": failure_reason,
            "forget_key": forget_key,
            "entry_state": entry_state.value if entry_state is not None else None,
            **staging_parameters(OutboxMessage, message),
        },
    )
    if not rows:
        return None
    mark_staged(session)
    return Booking(**rows[0])


async def start_payment(
    session: AsyncSession, *, booking_id: uuid.UUID, user_id: str, payment_method: str | None
) -> Booking | None:
    """Moves `user_id`'s hold not yet expired, of an event still on sale, to `pending`, to be paid,
    and returns it with its items; None if not."""
    rows = await execute_alone(
        session, TO_PAYMENT, {"booking": booking_id, "user": user_id, "method": payment_method}
    )
    if not rows:
        return None
    row = rows[0]
    booking = Booking(**{column.name: row[column.name] for column in _bookings.c})
    booking.items = [BookingItem(**item) for item in row["items_json"] or []]
    return booking
