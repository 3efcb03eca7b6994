"""Bookings: reserve seats atomically, pay through the payment service (at once, or after a hold),
confirm or release."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import checkout, holds, inventory
from booking_service.clients import EventClient, PaymentClient, PaymentRecord
from booking_service.errors import (
    BookingInProgressError,
    BookingNotFoundError,
    EventNotFoundError,
    HoldExpiredError,
    IdempotencyKeyReusedError,
    NotHeldError,
    NotOnSaleError,
    PaymentDeclinedError,
    PaymentOutcomeUnknownError,
    PaymentRejectedError,
    ServiceUnavailableError,
)
from booking_service.facts import facts, with_items
from booking_service.models import Booking, EventInventory
from booking_service.schemas import BookingCreate, BookingStatus
from booking_service.upstream import UpstreamRejectedError, UpstreamUnavailableError, UpstreamUncertainError
from booking_service.waiting_list_schemas import WaitingListState
from shared.auth import Principal
from shared.messages import BookingConfirmed, BookingExpired, BookingFailed

# Why a hold ended unpaid at its `expires_at`.
EXPIRED_REASON = "the hold was not paid in time"


async def get(session: AsyncSession, *, booking_id: uuid.UUID, principal: Principal) -> Booking:
    """Returns the booking if the caller owns it or is an admin; anyone else gets NotFound."""
    async with session.begin():
        booking = await session.get(Booking, booking_id)
    if booking is None or not (principal.is_admin or booking.user_id == principal.id):
        raise BookingNotFoundError("Booking not found")
    return booking


async def get_all(
    session: AsyncSession,
    *,
    user_id: str | None,
    event_id: str | None,
    status: BookingStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[Booking], int]:
    """Returns a page of bookings (newest first) and the total; `user_id=None` means everyone's."""
    conditions = [
        condition
        for condition in (
            Booking.user_id == user_id if user_id is not None else None,
            Booking.event_id == event_id if event_id is not None else None,
            Booking.status == status if status is not None else None,
        )
        if condition is not None
    ]
    async with session.begin():
        total = await session.scalar(select(func.count()).select_from(Booking).where(*conditions))
        rows = await session.scalars(
            select(Booking).where(*conditions).order_by(Booking.created_at.desc()).limit(limit).offset(offset)
        )
        return list(rows), total or 0


async def ensure_inventory(session: AsyncSession, events: EventClient, *, event_id: str) -> EventInventory:
    """Returns the event's inventory, fetching the event once if no message about it has arrived yet."""
    async with session.begin():
        known = await inventory.get(session, event_id=event_id)
    if known is not None:
        return known
    await _learn_event(session, events, event_id=event_id)
    async with session.begin():
        stored = await inventory.get(session, event_id=event_id, fresh=True)
    if stored is None:  # deleted between learning and reading: gone as far as a buyer can tell
        raise EventNotFoundError("Event not found")
    return stored


async def _learn_event(session: AsyncSession, events: EventClient, *, event_id: str) -> None:
    """Stores the inventory of an event no message has told about yet, as the event service has it."""
    try:
        record = await events.fetch(event_id)
    except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
        raise ServiceUnavailableError(f"The event service is unavailable: {exc}") from exc
    if record is None:
        raise EventNotFoundError("Event not found")
    # Stored one version back: the snapshot of this same version, which carries the whole catalogue
    # (quotas, vouchers, hidden types) the event service's answer leaves out, still applies.
    partial = record.model_copy(update={"version": record.version - 1})
    async with session.begin():
        await inventory.apply_snapshot(session, partial, on_sale=record.status == "scheduled")


def _request_of(booking: Booking) -> dict[str, object]:
    """What a request that made this booking asked, as `_asked` words a request."""
    return {
        "event_id": booking.event_id,
        "items": sorted((item.ticket_type_id, item.quantity) for item in booking.items),
        "voucher": booking.voucher.lower() if booking.voucher else None,
        "payment_method": booking.payment_method,
        "hold": booking.expires_at is not None,
        "attendee_names": list(booking.attendee_names or ()),
    }


def _asked(booking_in: BookingCreate) -> dict[str, object]:
    return {
        "event_id": booking_in.event_id,
        "items": sorted((line.ticket_type_id, line.quantity) for line in checkout.lines_of(booking_in)),
        "voucher": booking_in.voucher.lower() if booking_in.voucher else None,
        "payment_method": booking_in.payment_method,
        "hold": booking_in.hold,
        "attendee_names": list(booking_in.attendee_names or ()),
    }


async def _replay(
    session: AsyncSession, *, user_id: str, key: str, booking_in: BookingCreate
) -> Booking | None:
    """Returns the booking made with this key, if any; refuses a key reused for a different request."""
    booking = await session.scalar(
        select(Booking).where(Booking.user_id == user_id, Booking.idempotency_key == key)
    )
    if booking is None:
        return None
    # Every field of the request decides the charge, so every one must match.
    made, asked = _request_of(booking), _asked(booking_in)
    differing = [name for name in asked if made[name] != asked[name]]
    if differing:
        raise IdempotencyKeyReusedError(
            "This Idempotency-Key was already used for a different booking "
            f"(differs in: {', '.join(differing)}); use a new key for a new booking"
        )
    return booking


def _outcome_of(booking: Booking) -> Booking:
    """Returns a booking made earlier with the same key as its request's answer, or raises how it ended.

    A booking keeps its key only once its outcome is its own: confirmed (and what became of it) or
    declined. One whose payment has not settled is still in flight; one failed without a charge
    (the payment service unreachable or refusing) released its key, so its retry books afresh.
    A hold answers as the hold it is.
    """
    if booking.status in (BookingStatus.PENDING, BookingStatus.RELEASED):
        raise BookingInProgressError(
            "A booking with this Idempotency-Key is still being paid; retry later to learn how it ended",
            booking,
        )
    if booking.status == BookingStatus.FAILED:
        raise PaymentDeclinedError(f"Payment declined: {booking.failure_reason}", booking)
    return booking


async def hold_seats(
    session: AsyncSession,
    events: EventClient,
    *,
    user_id: str,
    booking_in: BookingCreate,
    idempotency_key: str | None,
) -> Booking:
    """Holds the seats and stores the booking (`pending`, or `held` with `booking.held` staged), or
    raises why not.

    An event no message has told about yet is fetched from the event service first.
    """
    booking = await checkout.reserve(
        session, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
    )
    if booking is None:
        await _learn_event(session, events, event_id=booking_in.event_id)
        booking = await checkout.reserve(
            session, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
        )
    if booking is None:  # deleted between learning and booking: gone as far as a buyer can tell
        raise EventNotFoundError("Event not found")
    return booking


async def book(
    session: AsyncSession,
    *,
    events: EventClient,
    payments: PaymentClient,
    user_id: str,
    booking_in: BookingCreate,
    idempotency_key: str | None,
) -> Booking:
    """Returns a confirmed booking or raises why not; a replayed Idempotency-Key answers as the first
    request's booking did, or 'in progress' while it is being paid."""
    if idempotency_key is not None:
        async with session.begin():
            previous = await _replay(session, user_id=user_id, key=idempotency_key, booking_in=booking_in)
        if previous is not None:
            return _outcome_of(previous)
    try:
        booking = await hold_seats(
            session, events, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
        )
    except IntegrityError:
        if idempotency_key is None:
            raise
        async with session.begin():  # a concurrent request with the same Idempotency-Key won
            winner = await _replay(session, user_id=user_id, key=idempotency_key, booking_in=booking_in)
        if winner is None:  # it failed without a charge meanwhile and released the key
            raise BookingInProgressError(
                "A request with this Idempotency-Key was being processed; retry it"
            ) from None
        return _outcome_of(winner)
    if booking.status == BookingStatus.HELD:
        return booking
    return await _pay(session, payments=payments, booking=booking)


async def pay_hold(
    session: AsyncSession,
    *,
    payments: PaymentClient,
    booking_id: uuid.UUID,
    principal: Principal,
    payment_method: str | None,
) -> Booking:
    """Pays for the caller's hold not yet expired, as a booking paid at once is; raises why not
    (NotFound for a booking not the caller's: only its owner pays for it)."""
    paying = await holds.start_payment(
        session, booking_id=booking_id, user_id=principal.id, payment_method=payment_method
    )
    if paying is None:
        current = await get(session, booking_id=booking_id, principal=principal)
        if current.user_id != principal.id:  # an admin may read it, only its owner pays for it
            raise BookingNotFoundError("Booking not found")
        if current.status == BookingStatus.HELD:
            async with session.begin():
                now = await session.scalar(select(func.now()))
            assert current.expires_at is not None and now is not None
            if current.expires_at > now:  # the event stopped selling meanwhile
                current = await release_hold(
                    session, booking=current, reason="the event is no longer on sale"
                )
                raise NotOnSaleError("The event is cancelled or has started; the hold is released", current)
            # Past `expires_at`, the sweeper not there yet.
            current = await release_hold(session, booking=current, reason=EXPIRED_REASON)
            raise HoldExpiredError("The hold expired; its seats are back on sale", current)
        if current.status == BookingStatus.EXPIRED:
            raise HoldExpiredError("The hold expired; its seats are back on sale", current)
        raise NotHeldError(f"Only a held booking can be paid; this one is {current.status}", current)
    return await _pay(session, payments=payments, booking=paying)


async def release_hold(
    session: AsyncSession, *, booking: Booking, reason: str, entry_state: WaitingListState | None = None
) -> Booking:
    """Ends a hold unpaid (`expired`): its seats and voucher use go back, and `booking.expired` is
    staged; a hold already ended is returned as it stands. An offer's waiting list entry ends
    `entry_state` (by default `expired`): the seats pass on to the next entry."""
    released = await holds.record_outcome(
        session,
        booking_id=booking.id,
        status=BookingStatus.EXPIRED,
        payment_id=None,
        failure_reason=reason,
        message=BookingExpired(**facts(booking)),
        forget_key=True,
        from_status=BookingStatus.HELD,
        entry_state=entry_state,
    )
    if released is not None:
        return with_items(released, booking.items)
    async with session.begin():
        current = await session.get(Booking, booking.id, populate_existing=True)
    assert current is not None  # bookings are never deleted
    return current


async def _pay(session: AsyncSession, *, payments: PaymentClient, booking: Booking) -> Booking:
    if booking.amount == 0:  # a free event: nothing to charge
        return await settle_booking(session, booking=booking, payment=None, free=True)
    try:
        payment = await payments.charge(
            booking_id=str(booking.id),
            user_id=booking.user_id,
            amount=booking.amount,
            currency=booking.currency,
            payment_method=booking.payment_method,
        )
    except UpstreamUnavailableError as exc:
        # The request never reached the payment service: nothing was charged, so release now.
        booking = await settle_booking(
            session, booking=booking, payment=None, reason="payment service unavailable"
        )
        raise ServiceUnavailableError(f"The payment service is unavailable: {exc}", booking) from exc
    except UpstreamRejectedError as exc:
        # Refused, so nothing was charged: release now rather than hold the seats for the sweeper.
        booking = await settle_booking(session, booking=booking, payment=None, reason="payment refused")
        raise PaymentRejectedError(f"The payment service refused the charge: {exc}", booking) from exc
    except UpstreamUncertainError as exc:
        raise PaymentOutcomeUnknownError(
            "The payment service did not answer in time; the booking stays pending until it is resolved",
            booking,
        ) from exc
    booking = await settle_booking(session, booking=booking, payment=payment)
    if booking.status == BookingStatus.FAILED:
        raise PaymentDeclinedError(f"Payment declined: {booking.failure_reason}", booking)
    return booking


async def settle_booking(
    session: AsyncSession,
    *,
    booking: Booking,
    payment: PaymentRecord | None,
    reason: str = "",
    free: bool = False,
    released: bool = False,
) -> Booking:
    """Confirms a pending booking whose payment succeeded (or that costs nothing), or fails it and
    releases its seats; returns the booking as it now stands.

    `released`: the payment's outcome is unknown, so the booking is `released`, not `failed`, until
    the sweeper learns it. A booking failed with no payment behind it charged nothing: it releases its
    Idempotency-Key, so that a retry books afresh.
    """
    payment_id = payment.id if payment else None
    failure_reason: str | None = None
    message: BookingConfirmed | BookingFailed
    if free or (payment is not None and payment.status == "succeeded"):
        status = BookingStatus.CONFIRMED
        message = BookingConfirmed(**facts(booking), payment_id=payment_id)
    else:
        status = BookingStatus.RELEASED if released else BookingStatus.FAILED
        failure_reason = (payment.decline_reason if payment else None) or reason or "payment declined"
        message = BookingFailed(**facts(booking), reason=failure_reason)
    settled = await holds.record_outcome(
        session,
        booking_id=booking.id,
        status=status,
        payment_id=payment_id,
        failure_reason=failure_reason,
        message=message,
        forget_key=status == BookingStatus.FAILED and payment is None,
    )
    if settled is not None:
        return with_items(settled, booking.items)
    async with session.begin():  # settled meanwhile (by the request or the sweeper)
        current = await session.get(Booking, booking.id, populate_existing=True)
    if current is None:
        raise BookingNotFoundError("Booking not found")
    return current
