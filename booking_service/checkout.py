"""A booking's seats reserved across every quota its items draw on, all or nothing.

The request is first checked against the event's catalogue (`catalogue`, kept in memory by version):
unknown types, quantities, sales windows, the voucher and prices are answered at once. Then one call
of `take_seats` (a function migration 0004 creates) takes the seats: it checks that the catalogue is
still the version checked, the event on sale, and the counts (capacity, each quota the types are in,
the voucher's uses), first without the lock, so that a buyer of seats already gone is answered at
once instead of queueing for it, then again under the event row's lock, which it takes first as every
hold, settlement and release of the event's seats does; and it writes the booking, its items, every
count and the outbox row, or nothing. The lock is held only while PostgreSQL runs it. A catalogue
changed in between makes the reservation start over.
"""

import json
import uuid
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import catalogue
from booking_service.catalogue import Catalogue
from booking_service.errors import (
    InvalidItemError,
    NotEnoughSeatsError,
    NotOnSaleError,
    TicketTypeNotOnSaleError,
    TooManyTicketsError,
    VoucherRefusedError,
)
from booking_service.facts import facts
from booking_service.models import Booking, BookingItem, OutboxMessage, Voucher
from booking_service.schemas import MAX_AMOUNT, BookingCreate, BookingStatus
from shared.db import execute_alone
from shared.messages import BookingHeld
from shared.outbox import mark_staged, staging_parameters

# A catalogue that changes between the check and the taking makes the reservation start over.
ATTEMPTS = 3

# The function migrations 0004 and 0005 create: locks the event's row, checks the counts (keeping
# back the seats owed to the waiting list), and writes the booking, its items, every count and its
# outbox row, or nothing.
TAKE = text(
    """
    SELECT * FROM take_seats(
        CAST(:event AS text), CAST(:version AS int), CAST(:total AS int),
        CAST(:type_ids AS text[]), CAST(:quantities AS int[]), CAST(:names AS text[]),
        CAST(:unit_prices AS int[]), CAST(:item_vouchers AS text[]),
        CAST(:quota_ids AS text[]), CAST(:quota_asked AS int[]), CAST(:code_key AS text),
        CAST(:booking AS uuid), CAST(:user AS text), CAST(:title AS text), CAST(:owner AS text),
        CAST(:amount AS int), CAST(:currency AS text), CAST(:method AS text), CAST(:status AS text),
        CAST(:key AS text), CAST(:expires_at AS timestamptz), CAST(:code AS text),
        CAST(:starts_at AS timestamptz), CAST(:timezone AS text), CAST(:attendee_names AS text[]),
        CAST(:outbox_message_id AS uuid), CAST(:outbox_type AS text), CAST(:outbox_envelope AS jsonb)
    )
    """
)


@dataclass(frozen=True)
class Line:
    """Tickets of one type, as asked: `field` names it in a refusal."""

    ticket_type_id: str
    quantity: int
    field: str


def lines_of(booking_in: BookingCreate) -> list[Line]:
    """The request's items; `tickets` alone asks for the event's default type (its id is the event's)."""
    if booking_in.items is None:
        assert booking_in.tickets is not None  # the schema asks for one of the two
        return [Line(booking_in.event_id, booking_in.tickets, "tickets")]
    return [
        Line(item.ticket_type_id, item.quantity, f"items[{index}]")
        for index, item in enumerate(booking_in.items)
    ]


def discounted(price: int, voucher: Voucher | None) -> int:
    """A unit price after the voucher (never below 0)."""
    if voucher is None:
        return price
    match voucher.price_mode:
        case "percent":
            return max(0, price - price * min(voucher.value, 100) // 100)
        case "fixed":
            return max(0, price - voucher.value)
        case "set":
            return max(0, voucher.value)
    return price


def _applies(voucher: Voucher, ticket_type_id: str) -> bool:
    return not voucher.ticket_type_ids or ticket_type_id in voucher.ticket_type_ids


@dataclass(frozen=True)
class QuotaAsk:
    """A quota the booking draws on: how many seats of it, for which of its types."""

    quota_id: str
    name: str
    asked: int
    members: list[str]


@dataclass
class Plan:
    """A booking checked against the catalogue of `version`: what it takes and what it costs."""

    event: Mapping[str, Any]
    lines: list[Line]
    names: dict[str, str]
    prices: dict[str, int]
    voucher: Voucher | None
    quotas: list[QuotaAsk] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def amount(self) -> int:
        return sum(self.prices[line.ticket_type_id] * line.quantity for line in self.lines)

    def item_voucher(self, ticket_type_id: str) -> str | None:
        voucher = self.voucher
        return voucher.code if voucher is not None and _applies(voucher, ticket_type_id) else None


async def reserve(
    session: AsyncSession, *, user_id: str, booking_in: BookingCreate, idempotency_key: str | None
) -> Booking | None:
    """Holds the seats and stores the booking (`pending`, or `held` with `booking.held` staged) with
    its items, or raises why not; returns None when this service has not seen the event yet."""
    key = catalogue.key_of(session, booking_in.event_id)
    # One more attempt than a changing catalogue is given: the first may have been checked against a
    # kept catalogue found out of date.
    for _ in range(ATTEMPTS + 1):
        plan = await _plan(session, booking_in, key=key)
        if plan is None:
            return None
        booking = await _take(
            session, plan, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
        )
        if booking is not None:
            return booking
        if key is not None:
            catalogue.CACHE.drop(key)
    raise NotEnoughSeatsError("The event's tickets are being changed; try again", reason="catalogue_changing")


def _refuse_seats(plan: Plan, available: int) -> None:
    if plan.total > available:
        raise NotEnoughSeatsError(
            f"Not enough seats: {available} left",
            ticket_type_id=plan.lines[0].ticket_type_id,
            reason="sold_out",
        )


def _refuse_quota(plan: Plan, quota_id: str, left: int) -> None:
    quota = next(quota for quota in plan.quotas if quota.quota_id == quota_id)
    names = ", ".join(repr(plan.names[member]) for member in quota.members)
    raise NotEnoughSeatsError(
        f"Not enough seats: {names} sold out (none left in {quota.name!r})"
        if left <= 0
        else f"Not enough seats: {left} left of {names} (shared in {quota.name!r})",
        ticket_type_id=quota.members[0],
        reason="sold_out",
    )


async def _plan(session: AsyncSession, booking_in: BookingCreate, *, key: Hashable | None) -> Plan | None:
    """Checks the request against the event's catalogue and prices it; raises the first refusal;
    None when the event is unknown here.

    The catalogue kept under `key` serves a request without a voucher (a voucher's uses are read as
    they stand); a refusal it gives is answered only if the catalogue read afresh gives it too.
    """
    kept = catalogue.CACHE.get(key) if key is not None and booking_in.voucher is None else None
    if kept is not None:
        try:
            return _priced(booking_in, kept, None)
        except (NotOnSaleError, TooManyTicketsError, InvalidItemError):
            pass  # perhaps out of date
    code_key = booking_in.voucher.lower() if booking_in.voucher is not None else None
    read = await catalogue.read(session, event_id=booking_in.event_id, code_key=code_key)
    if read is None:
        return None
    fresh, voucher = read
    if key is not None:
        catalogue.CACHE.put(key, fresh)
    return _priced(booking_in, fresh, voucher)


def _priced(booking_in: BookingCreate, catalogue: Catalogue, voucher_row: dict[str, Any] | None) -> Plan:
    """The request checked against `catalogue` and priced (after the voucher of `voucher_row`), or
    the first refusal raised. The seats left are checked by `take_seats`."""
    lines = lines_of(booking_in)
    event = catalogue.event
    now = catalogue.now()
    if not event["on_sale"]:
        raise NotOnSaleError("The event is cancelled; tickets are no longer sold")
    if event["starts_at"] <= now:
        raise NotOnSaleError("The event has already started")
    total = sum(line.quantity for line in lines)
    if total > event["max_tickets_per_booking"]:
        too_many = TooManyTicketsError(f"At most {event['max_tickets_per_booking']} tickets per booking")
        too_many.field = "tickets" if booking_in.items is None else "items"
        raise too_many
    types = catalogue.types
    voucher = _usable_voucher(booking_in.voucher, voucher_row, now, lines)
    for line in lines:
        _check_type(line, types.get(line.ticket_type_id), voucher, now, legacy=booking_in.items is None)
    plan = Plan(
        event={**event, "now": now},
        lines=lines,
        names={line.ticket_type_id: types[line.ticket_type_id].name for line in lines},
        prices={
            line.ticket_type_id: discounted(
                types[line.ticket_type_id].price,
                voucher if voucher is not None and _applies(voucher, line.ticket_type_id) else None,
            )
            for line in lines
        },
        voucher=voucher,
    )
    if plan.amount > MAX_AMOUNT:
        raise TooManyTicketsError(
            f"tickets: price times tickets exceeds {MAX_AMOUNT}, the most one payment may charge"
            " (minor units); book fewer tickets"
        )
    quantities = {line.ticket_type_id: line.quantity for line in lines}
    for quota in catalogue.quotas:
        members = [member for member in quota.members if member in quantities]
        if members:
            plan.quotas.append(
                QuotaAsk(quota.quota_id, quota.name, sum(quantities[m] for m in members), members)
            )
    return plan


async def _take(
    session: AsyncSession,
    plan: Plan,
    *,
    user_id: str,
    booking_in: BookingCreate,
    idempotency_key: str | None,
) -> Booking | None:
    """Takes the seats `plan` asks for, in a transaction of its own; raises if they are gone since,
    None if the catalogue changed since (the plan is stale)."""
    event = plan.event
    status = BookingStatus.HELD if booking_in.hold else BookingStatus.PENDING
    type_ids = [line.ticket_type_id for line in plan.lines]
    booking = Booking(
        id=uuid.uuid4(),
        user_id=user_id,
        event_id=event["event_id"],
        event_title=event["title"],
        event_owner_id=event["owner_id"],
        tickets=plan.total,
        amount=plan.amount,
        currency=event["currency"],
        payment_method=booking_in.payment_method,
        status=status.value,
        payment_id=None,
        refunded_amount=0,
        failure_reason=None,
        idempotency_key=idempotency_key,
        expires_at=event["now"] + timedelta(minutes=event["hold_minutes"]) if booking_in.hold else None,
        voucher=plan.voucher.code if plan.voucher is not None else None,
        event_starts_at=event["starts_at"],
        event_timezone=event["timezone"],
        attendee_names=list(booking_in.attendee_names or ()),
    )
    booking.items = [
        BookingItem(
            booking_id=booking.id,
            ticket_type_id=line.ticket_type_id,
            name=plan.names[line.ticket_type_id],
            quantity=line.quantity,
            unit_price=plan.prices[line.ticket_type_id],
            voucher=plan.item_voucher(line.ticket_type_id),
        )
        for line in plan.lines
    ]
    staged: dict[str, Any] = {"outbox_message_id": None, "outbox_type": None, "outbox_envelope": None}
    if booking.expires_at is not None:
        staged = staging_parameters(
            OutboxMessage, BookingHeld(**facts(booking), expires_at=booking.expires_at)
        )
        staged["outbox_envelope"] = json.dumps(staged["outbox_envelope"])
    parameters = {
        "event": booking.event_id,
        "version": event["version"],
        "total": plan.total,
        "type_ids": type_ids,
        "quantities": [line.quantity for line in plan.lines],
        "names": [item.name for item in booking.items],
        "unit_prices": [item.unit_price for item in booking.items],
        "item_vouchers": [item.voucher for item in booking.items],
        "quota_ids": [quota.quota_id for quota in plan.quotas],
        "quota_asked": [quota.asked for quota in plan.quotas],
        "code_key": plan.voucher.code_key if plan.voucher is not None else None,
        "booking": booking.id,
        "user": user_id,
        "title": booking.event_title,
        "owner": booking.event_owner_id,
        "amount": booking.amount,
        "currency": booking.currency,
        "method": booking.payment_method,
        "status": booking.status,
        "key": idempotency_key,
        "expires_at": booking.expires_at,
        "code": booking.voucher,
        "starts_at": booking.event_starts_at,
        "timezone": booking.event_timezone,
        "attendee_names": booking.attendee_names,
        **staged,
    }
    taken = (await execute_alone(session, TAKE, parameters))[0]
    match taken["o_outcome"]:
        case "stale":
            return None
        case "not_on_sale":
            raise NotOnSaleError("The event is cancelled; tickets are no longer sold")
        case "started":
            raise NotOnSaleError("The event has already started")
        case "not_enough_seats":
            _refuse_seats(plan, taken["o_left"])
        case "quota":
            _refuse_quota(plan, taken["o_quota"], taken["o_left"])
        case "used_up":
            raise VoucherRefusedError("voucher: this code has been used up", reason="used_up")
    if booking.expires_at is not None:
        mark_staged(session)
    booking.created_at = booking.updated_at = taken["o_created_at"]
    return booking


def _check_type(line: Line, row: Any, voucher: Voucher | None, now: datetime, *, legacy: bool) -> None:
    """Refuses an item whose type is unknown, not for sale now, or asked in a quantity it does not allow.

    A hidden type is answered as unknown to anyone without a voucher that unlocks it.
    """
    unlocked = voucher is not None and voucher.unlocks_hidden and _applies(voucher, line.ticket_type_id)
    if row is None or not row.listed or (row.hidden and not unlocked):
        if legacy:
            raise InvalidItemError(
                "tickets: this event no longer sells its default ticket type; book `items` of its types",
                field="tickets",
            )
        raise InvalidItemError(
            f"{line.field}.ticket_type_id: no ticket type {line.ticket_type_id!r} in this event",
            field=f"{line.field}.ticket_type_id",
        )
    quantity_field = "tickets" if legacy else f"{line.field}.quantity"
    if line.quantity < row.min_per_booking:
        raise InvalidItemError(
            f"{quantity_field}: at least {row.min_per_booking} tickets of {row.name!r} per booking",
            field=quantity_field,
        )
    if line.quantity > row.max_per_booking:
        raise InvalidItemError(
            f"{quantity_field}: at most {row.max_per_booking} tickets of {row.name!r} per booking",
            field=quantity_field,
        )
    if row.sales_start is not None and now < row.sales_start:
        raise TicketTypeNotOnSaleError(
            f"{row.name!r} is not on sale yet: sales start at {row.sales_start.isoformat()}",
            ticket_type_id=line.ticket_type_id,
            reason="not_yet",
        )
    if row.sales_end is not None and now >= row.sales_end:
        raise TicketTypeNotOnSaleError(
            f"{row.name!r} is no longer on sale: sales ended at {row.sales_end.isoformat()}",
            ticket_type_id=line.ticket_type_id,
            reason="ended",
        )


def _usable_voucher(
    code: str | None, row: dict[str, Any] | None, now: datetime, lines: list[Line]
) -> Voucher | None:
    """The voucher named, if it may be used for these items now; else refuses it, naming why."""
    if code is None:
        return None
    if row is None or not row["listed"]:
        raise VoucherRefusedError("voucher: no such code for this event", reason="unknown")
    voucher = Voucher(**row)
    if voucher.disabled:
        raise VoucherRefusedError("voucher: this code is disabled", reason="disabled")
    if voucher.valid_until is not None and now >= voucher.valid_until:
        raise VoucherRefusedError(
            f"voucher: this code expired at {voucher.valid_until.isoformat()}", reason="expired"
        )
    if not any(_applies(voucher, line.ticket_type_id) for line in lines):
        raise VoucherRefusedError(
            "voucher: this code applies to none of the ticket types booked", reason="not_applicable"
        )
    if voucher.used >= voucher.max_usages:
        raise VoucherRefusedError("voucher: this code has been used up", reason="used_up")
    return voucher
