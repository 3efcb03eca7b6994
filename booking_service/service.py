"""Bookings: reserve seats atomically, pay through the payment service, confirm or release."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import holds, inventory
from booking_service.clients import EventClient, PaymentClient, PaymentRecord
from booking_service.models import Booking, EventInventory, OutboxMessage
from booking_service.schemas import BookingCreate, BookingStatus
from booking_service.upstream import UpstreamRejectedError, UpstreamUnavailableError, UpstreamUncertainError
from shared.auth import Principal
from shared.messages import BookingCancelled, BookingConfirmed, BookingFailed
from shared.outbox import stage_message

# Why a booking whose payment had not answered by the pending timeout was failed and its seats released.
# The sweeper later asks for that payment, and refunds it if it went through after all.
PAYMENT_NOT_CONFIRMED_IN_TIME = "the payment was not confirmed in time"
# A hold is tried again only when the seats changed while it waited for them; this bounds the retries.
HOLD_ATTEMPTS = 3


class BookingError(Exception):
    """A booking request that cannot proceed; `status_code` is what the API answers."""

    status_code = 409

    def __init__(self, detail: str, booking: Booking | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.booking = booking


class NotFoundError(BookingError):
    status_code = 404


class TooManyTicketsError(BookingError):
    status_code = 422


class PaymentDeclinedError(BookingError):
    status_code = 402


class ServiceUnavailableError(BookingError):
    """The event or payment service could not be reached."""

    status_code = 503


class PendingBookingsRemainError(Exception):
    """Bookings of the event are still being paid; cancelling them has to wait until they settle."""


class PaymentOutcomeUnknownError(BookingError):
    status_code = 504


class PaymentRejectedError(BookingError):
    status_code = 502


def _facts(booking: Booking) -> dict[str, object]:
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
        raise NotFoundError("Booking not found")
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
    return stored  # type: ignore[return-value]


async def _learn_event(session: AsyncSession, events: EventClient, *, event_id: str) -> None:
    """Stores the inventory of an event no message has told about yet, as the event service has it."""
    try:
        record = await events.fetch(event_id)
    except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
        raise ServiceUnavailableError(f"The event service is unavailable: {exc}") from exc
    if record is None:
        raise NotFoundError("Event not found")
    async with session.begin():
        await inventory.apply_snapshot(session, record, on_sale=record.status == "scheduled")


def _refusal(seats: EventInventory, tickets: int) -> BookingError | None:
    """Explains why seats in this state cannot be held; None if they could be."""
    if not seats.on_sale:
        return BookingError("The event is cancelled; tickets are no longer sold")
    if seats.starts_at <= datetime.now(UTC):
        return BookingError("The event has already started")
    if tickets > seats.max_tickets_per_booking:
        return TooManyTicketsError(f"At most {seats.max_tickets_per_booking} tickets per booking")
    left = max(0, seats.capacity - seats.sold - seats.held)
    if tickets > left:
        return BookingError(f"Not enough seats: {left} left")
    return None


async def _replay(
    session: AsyncSession, *, user_id: str, key: str, booking_in: BookingCreate
) -> Booking | None:
    booking = await session.scalar(
        select(Booking).where(Booking.user_id == user_id, Booking.idempotency_key == key)
    )
    if booking is not None and (booking.event_id, booking.tickets) != (
        booking_in.event_id,
        booking_in.tickets,
    ):
        raise BookingError("This Idempotency-Key was already used for a different booking")
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
        hold = await holds.hold(
            session, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
        )
        if hold.booking is not None:
            return hold.booking
        if hold.seats is None:
            await _learn_event(session, events, event_id=booking_in.event_id)
            continue
        refusal = _refusal(hold.seats, booking_in.tickets)
        if refusal is not None:
            raise refusal
        # The seats changed between the state this hold read and the moment it could take them.
    raise BookingError("Not enough seats: the last ones are being taken")


async def book(
    session: AsyncSession,
    *,
    events: EventClient,
    payments: PaymentClient,
    user_id: str,
    booking_in: BookingCreate,
    idempotency_key: str | None,
) -> Booking:
    """Returns a confirmed booking or raises why not; a replayed Idempotency-Key returns the first one."""
    if idempotency_key is not None:
        async with session.begin():
            previous = await _replay(session, user_id=user_id, key=idempotency_key, booking_in=booking_in)
        if previous is not None and previous.status == BookingStatus.FAILED:
            raise PaymentDeclinedError(f"Payment declined: {previous.failure_reason}", previous)
        if previous is not None:
            return previous
    try:
        booking = await hold_seats(
            session, events, user_id=user_id, booking_in=booking_in, idempotency_key=idempotency_key
        )
    except IntegrityError:  # a concurrent request with the same Idempotency-Key won
        async with session.begin():
            winner = await _replay(session, user_id=user_id, key=idempotency_key or "", booking_in=booking_in)
        return winner  # type: ignore[return-value]
    return await _pay(session, payments=payments, booking=booking)


async def _pay(session: AsyncSession, *, payments: PaymentClient, booking: Booking) -> Booking:
    if booking.amount == 0:  # a free event: nothing to charge
        return await settle(session, booking=booking, payment=None, free=True)
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
        booking = await settle(session, booking=booking, payment=None, reason="payment service unavailable")
        raise ServiceUnavailableError(f"The payment service is unavailable: {exc}", booking) from exc
    except UpstreamRejectedError as exc:
        # Refused, so nothing was charged: release now rather than hold the seats for the sweeper.
        booking = await settle(session, booking=booking, payment=None, reason="payment refused")
        raise PaymentRejectedError(f"The payment service refused the charge: {exc}", booking) from exc
    except UpstreamUncertainError as exc:
        raise PaymentOutcomeUnknownError(
            "The payment service did not answer in time; the booking stays pending until it is resolved",
            booking,
        ) from exc
    booking = await settle(session, booking=booking, payment=payment)
    if booking.status == BookingStatus.FAILED:
        raise PaymentDeclinedError(f"Payment declined: {booking.failure_reason}", booking)
    return booking


async def settle(
    session: AsyncSession,
    *,
    booking: Booking,
    payment: PaymentRecord | None,
    reason: str = "",
    free: bool = False,
) -> Booking:
    """Confirms a pending booking whose payment succeeded (or that costs nothing), or fails it and
    releases its seats; returns the booking as it now stands."""
    payment_id = payment.id if payment else None
    failure_reason: str | None = None
    message: BookingConfirmed | BookingFailed
    if free or (payment is not None and payment.status == "succeeded"):
        status = BookingStatus.CONFIRMED
        message = BookingConfirmed(**_facts(booking), payment_id=payment_id)
    else:
        status = BookingStatus.FAILED
        failure_reason = (payment.decline_reason if payment else None) or reason or "payment declined"
        message = BookingFailed(**_facts(booking), reason=failure_reason)
    settled = await holds.settle(
        session,
        booking_id=booking.id,
        status=status,
        payment_id=payment_id,
        failure_reason=failure_reason,
        message=message,
    )
    if settled is not None:
        return settled
    async with session.begin():  # settled meanwhile (by the request or the sweeper)
        current = await session.get(Booking, booking.id, populate_existing=True)
    return current  # type: ignore[return-value]


async def cancel(
    session: AsyncSession,
    *,
    payments: PaymentClient,
    booking: Booking,
    reason: str = "cancelled_by_user",
) -> Booking:
    """Refunds a confirmed booking, then cancels it and gives its seats back."""
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError(f"Only confirmed bookings can be cancelled; this one is {booking.status}")
    try:
        # Refund first: a failure leaves the booking confirmed and the cancel can simply be retried.
        if booking.payment_id is not None:  # None: a free booking, nothing was paid
            await payments.refund(payment_id=booking.payment_id, idempotency_key=f"cancel-{booking.id}")
    except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
        raise ServiceUnavailableError(f"The payment service is unavailable: {exc}", booking) from exc
    except UpstreamRejectedError as exc:
        raise PaymentRejectedError(f"The payment service refused the refund: {exc}", booking) from exc
    async with session.begin():
        locked = await session.get(Booking, booking.id, with_for_update=True, populate_existing=True)
        assert locked is not None
        if locked.status == BookingStatus.CONFIRMED:
            locked.status = BookingStatus.CANCELLED
            await inventory.release_sold(session, event_id=locked.event_id, tickets=locked.tickets)
            stage_message(
                session,
                OutboxMessage,
                BookingCancelled(**_facts(locked), reason=reason, refunded_amount=locked.amount),
            )
    return locked


async def cancel_event_bookings(session: AsyncSession, *, payments: PaymentClient, event_id: str) -> int:
    """Cancels and refunds every confirmed booking of a cancelled event; returns how many."""
    async with session.begin():
        confirmed = list(
            await session.scalars(
                select(Booking).where(Booking.event_id == event_id, Booking.status == BookingStatus.CONFIRMED)
            )
        )
    cancelled = 0
    for booking in confirmed:
        try:
            await cancel(session, payments=payments, booking=booking, reason="event_cancelled")
            cancelled += 1
        except BookingError as exc:
            if isinstance(exc, ServiceUnavailableError):
                raise
            # cancelled meanwhile by its owner
    async with session.begin():
        pending = await session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.event_id == event_id, Booking.status == BookingStatus.PENDING)
        )
    if pending:
        raise PendingBookingsRemainError(f"{pending} bookings of event {event_id} are still pending")
    return cancelled


async def pending_older_than(session: AsyncSession, *, age: timedelta) -> list[Booking]:
    """Returns the bookings still pending after `age`."""
    async with session.begin():
        rows = await session.scalars(
            select(Booking).where(
                Booking.status == BookingStatus.PENDING, Booking.created_at < datetime.now(UTC) - age
            )
        )
        return list(rows)


async def released_before_paid(session: AsyncSession) -> list[uuid.UUID]:
    """Returns ids of bookings released at the pending timeout whose payment is still to be settled."""
    async with session.begin():
        rows = await session.scalars(
            select(Booking.id).where(
                Booking.status == BookingStatus.FAILED,
                Booking.failure_reason == PAYMENT_NOT_CONFIRMED_IN_TIME,
            )
        )
        return list(rows)


async def settle_released(
    session: AsyncSession, *, payments: PaymentClient, booking_id: uuid.UUID, payment: PaymentRecord | None
) -> None:
    """Refunds the payment of a booking released before it answered, if it went through, and records it."""
    if payment is not None and payment.status == "succeeded":
        await payments.refund(payment_id=payment.id, idempotency_key=f"released-{booking_id}")
    async with session.begin():
        booking = await session.get(Booking, booking_id, with_for_update=True, populate_existing=True)
        if booking is None or booking.failure_reason != PAYMENT_NOT_CONFIRMED_IN_TIME:
            return
        booking.payment_id = payment.id if payment else None
        if payment is None:
            booking.failure_reason = "no payment was made"
        elif payment.status == "declined":
            booking.failure_reason = payment.decline_reason or "payment declined"
        else:
            booking.failure_reason = (
                "the payment went through after the seats were released, and was refunded"
            )
