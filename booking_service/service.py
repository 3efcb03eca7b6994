"""Bookings: reserve seats atomically, pay through the payment service, confirm or release."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import holds, inventory
from booking_service.clients import EventClient, PaymentClient, PaymentRecord
from booking_service.errors import (
    BookingError,
    BookingInProgressError,
    BookingNotFoundError,
    EventNotFoundError,
    IdempotencyKeyReusedError,
    NotEnoughSeatsError,
    NotOnSaleError,
    PaymentDeclinedError,
    PaymentOutcomeUnknownError,
    PaymentRejectedError,
    ServiceUnavailableError,
    TooManyTicketsError,
)
from booking_service.models import Booking, EventInventory
from booking_service.schemas import MAX_AMOUNT, BookingCreate, BookingStatus
from booking_service.upstream import UpstreamRejectedError, UpstreamUnavailableError, UpstreamUncertainError
from shared.auth import Principal
from shared.messages import BookingConfirmed, BookingFailed

# A hold is tried again only when the seats changed while it waited for them; this bounds the retries.
HOLD_ATTEMPTS = 3


def facts(booking: Booking) -> dict[str, object]:
    return {
        "booking_id": str(booking.id),
        "user_id": booking.user_id,
        "event_id": booking.event_id,
        "event_title": booking.event_title,
        "event_owner_id": booking.event_owner_id,
        "tickets": booking.tickets,
        "amount": booking.amount,
        "currency": booking.currency,
    }


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
    async with session.begin():
        await inventory.apply_snapshot(session, record, on_sale=record.status == "scheduled")


def _refusal_error(refusal: holds.Refusal) -> BookingError | None:
    """Words the part of the seat rule a hold failed; None if none did (the seats changed meanwhile)."""
    match refusal.reason:
        case "not_on_sale":
            return NotOnSaleError("The event is cancelled; tickets are no longer sold")
        case "started":
            return NotOnSaleError("The event has already started")
        case "too_many_tickets":
            return TooManyTicketsError(f"At most {refusal.max_tickets_per_booking} tickets per booking")
        case "over_max_amount":
            return TooManyTicketsError(
                f"tickets: price times tickets exceeds {MAX_AMOUNT}, the most one payment may charge"
                " (minor units); book fewer tickets"
            )
        case "not_enough_seats":
            return NotEnoughSeatsError(f"Not enough seats: {refusal.available} left")
    return None


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
    differing = [
        name for name in BookingCreate.model_fields if getattr(booking, name) != getattr(booking_in, name)
    ]
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
    """Holds the seats and stores the booking `pending` in one statement, or raises why not.

    An event no message has told about yet is fetched from the event service first.
    """
    for _ in range(HOLD_ATTEMPTS):
        reservation = await holds.reserve_seats(
            session, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
        )
        if reservation.booking is not None:
            return reservation.booking
        if reservation.refusal is None:
            await _learn_event(session, events, event_id=booking_in.event_id)
            continue
        refusal = _refusal_error(reservation.refusal)
        if refusal is not None:
            raise refusal
        # The seats changed between the state this hold read and the moment it could take them.
    raise NotEnoughSeatsError("Not enough seats: the last ones are being taken")


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
    return await _pay(session, payments=payments, booking=booking)


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
        return settled
    async with session.begin():  # settled meanwhile (by the request or the sweeper)
        current = await session.get(Booking, booking.id, populate_existing=True)
    if current is None:
        raise BookingNotFoundError("Booking not found")
    return current
