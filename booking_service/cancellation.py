"""Cancelling bookings: one at its owner's (or an admin's) request, or all of an event that stops sales."""

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import inventory, service, waiting_list
from booking_service.clients import PaymentClient
from booking_service.errors import (
    BookingError,
    NotCancellableError,
    PaymentRejectedError,
    PendingBookingsRemainError,
    RefundsRefusedError,
    ServiceUnavailableError,
)
from booking_service.facts import facts
from booking_service.models import Booking, OutboxMessage
from booking_service.schemas import BookingStatus
from booking_service.upstream import UpstreamRejectedError, UpstreamUnavailableError, UpstreamUncertainError
from shared.messages import BookingCancelled, CancellationReason, EventCancelled, EventDeleted, EventSnapshot
from shared.outbox import stage_message

logger = logging.getLogger(__name__)

# A booking whose refund was refused stays cancellable, so that the refund can be tried again.
CANCELLABLE = (BookingStatus.CONFIRMED, BookingStatus.REFUND_REFUSED)


async def cancel(
    session: AsyncSession,
    *,
    payments: PaymentClient,
    booking: Booking,
    reason: CancellationReason = "cancelled_by_user",
) -> Booking:
    """Refunds a confirmed booking, then cancels it and gives its seats back.

    The booking stays locked while it is refunded: the `payment.refunded` that the refund announces
    is followed (`refunds.follow_refund`) only once the booking is cancelled, so the reason given
    here stands. A refund that fails leaves the booking as it was, and the cancel can be retried.
    """
    async with session.begin():
        locked = await session.get(Booking, booking.id, with_for_update=True, populate_existing=True)
        assert locked is not None  # bookings are never deleted
        refusal = _not_cancellable(locked) or await _refund(payments, locked)
        if refusal is None:
            await mark_cancelled(session, booking=locked, reason=reason, refunded_amount=locked.amount)
    if refusal is not None:  # raised once the transaction is over, so the booking it carries is loaded
        raise refusal
    return locked


async def mark_cancelled(
    session: AsyncSession, *, booking: Booking, reason: CancellationReason, refunded_amount: int
) -> None:
    """Cancels a booking locked in the session's transaction: its seats go back on sale, and
    `booking.cancelled` is staged with the change."""
    booking.status = BookingStatus.CANCELLED
    booking.refunded_amount = refunded_amount
    await inventory.release_sold(session, booking=booking)
    stage_message(
        session,
        OutboxMessage,
        BookingCancelled(**facts(booking), reason=reason, refunded_amount=refunded_amount),
    )


def _not_cancellable(booking: Booking) -> NotCancellableError | None:
    if booking.status in CANCELLABLE:
        return None
    return NotCancellableError(f"Only confirmed bookings can be cancelled; this one is {booking.status}")


async def _refund(payments: PaymentClient, booking: Booking) -> BookingError | None:
    """Refunds what is left of the booking's payment; returns why not, if it could not."""
    if booking.payment_id is None:  # a free booking: nothing was paid
        return None
    try:
        await payments.refund(payment_id=booking.payment_id, idempotency_key=f"cancel-{booking.id}")
    except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
        return ServiceUnavailableError(f"The payment service is unavailable: {exc}", booking)
    except UpstreamRejectedError as exc:
        return PaymentRejectedError(f"The payment service refused the refund: {exc}", booking)
    return None


async def apply_event_change(session: AsyncSession, *, payments: PaymentClient, event: EventSnapshot) -> None:
    """Keeps the event's seats in step with its latest state; when its sales stop (cancelled or
    deleted), ends its waiting list and cancels and refunds its bookings."""
    stops_sales = isinstance(event, EventCancelled | EventDeleted) or event.status != "scheduled"
    async with session.begin():
        await inventory.apply_snapshot(session, event, on_sale=not stops_sales)
        if stops_sales:  # the event's row is locked by the snapshot's write
            await waiting_list.close(session, event_id=event.event_id)
    if stops_sales:
        cancelled = await cancel_event_bookings(session, payments=payments, event_id=event.event_id)
        logger.info("Event %s stopped sales; %d bookings cancelled", event.event_id, cancelled)


async def _record_refused_refund(session: AsyncSession, *, booking: Booking, refusal: str) -> None:
    async with session.begin():
        locked = await session.get(Booking, booking.id, with_for_update=True, populate_existing=True)
        if locked is not None and locked.status in CANCELLABLE:
            locked.status = BookingStatus.REFUND_REFUSED
            locked.failure_reason = refusal[:200]


async def cancel_event_bookings(session: AsyncSession, *, payments: PaymentClient, event_id: str) -> int:
    """Cancels and refunds every confirmed booking of an event whose sales stopped; returns how many.

    A booking still pending may yet be confirmed, so while any remains, `PendingBookingsRemainError`
    is raised once the confirmed ones are cancelled, and the caller tries again. The pending ones
    are counted before the confirmed ones are read: sales have stopped, so no booking becomes
    pending any more, and a pass that counted none has read every booking that will ever be confirmed.

    A refund the payment service refuses leaves its booking `refund_refused`, with the refusal as
    its `failure_reason`, and raises `RefundsRefusedError` once the others are done.
    """
    async with session.begin():
        held = list(
            await session.scalars(
                select(Booking).where(Booking.event_id == event_id, Booking.status == BookingStatus.HELD)
            )
        )
    for hold in held:  # unpaid: released, nothing to refund
        await service.release_hold(session, booking=hold, reason="the event is no longer on sale")
    async with session.begin():
        pending = await session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.event_id == event_id, Booking.status == BookingStatus.PENDING)
        )
        cancellable = list(
            await session.scalars(
                select(Booking).where(Booking.event_id == event_id, Booking.status.in_(CANCELLABLE))
            )
        )
    cancelled, refused = 0, 0
    for booking in cancellable:
        try:
            await cancel(session, payments=payments, booking=booking, reason="event_cancelled")
            cancelled += 1
        except PaymentRejectedError as exc:
            logger.error("Booking %s of cancelled event %s: %s", booking.id, event_id, exc)
            await _record_refused_refund(session, booking=booking, refusal=str(exc))
            refused += 1
    if pending:
        raise PendingBookingsRemainError(f"{pending} bookings of event {event_id} are still pending")
    if refused:
        raise RefundsRefusedError(f"{refused} refunds of bookings of event {event_id} were refused")
    return cancelled
