"""Who is told what: each consumed message becomes drafts of notifications for the right people."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from notification_service.models import EVERYONE
from shared.messages import (
    BookingCancelled,
    BookingConfirmed,
    BookingFacts,
    BookingFailed,
    EventCancelled,
    EventCreated,
    EventDeleted,
    EventSnapshot,
    EventUpdated,
    PaymentRefunded,
)

EMAIL = "email"
# Currencies without minor units (ISO 4217 exponent 0) among those the platform is likely to see.
_ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX", "XAF", "XOF"})
# Changes that matter to whoever sells seats, not to someone who already holds them.
_NOT_NEWS_TO_ATTENDEES = frozenset({"capacity", "price", "currency", "max_tickets_per_booking", "version"})


@dataclass(frozen=True)
class Attendees:
    """Whoever holds a booking for the event when its message is handled: up to a million people,
    read from the store as the notification is written, never held in memory at once."""

    event_id: str


@dataclass(frozen=True)
class Draft:
    """A notification to store for `recipient`, and the outside channels that should carry it too."""

    recipient: str | Attendees  # a user id, `EVERYONE`, or an event's attendees
    type: str
    title: str
    body: str
    data: dict[str, Any]
    channels: tuple[str, ...] = field(default=())


def format_money(amount: int, currency: str) -> str:
    """Returns an amount in minor units as text, e.g. 2550 EUR -> "25.50 EUR" (no float involved)."""
    if currency.upper() in _ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency}"
    major, minor = divmod(amount, 100)
    return f"{major}.{minor:02d} {currency}"


def _tickets(count: int) -> str:
    return f"{count} ticket" if count == 1 else f"{count} tickets"


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M %Z").strip()


def _booking_data(message: BookingFacts) -> dict[str, Any]:
    return {
        "booking_id": message.booking_id,
        "event_id": message.event_id,
        "tickets": message.tickets,
        "amount": message.amount,
        "currency": message.currency,
    }


def _event_data(message: EventSnapshot) -> dict[str, Any]:
    return {"event_id": message.event_id, "starts_at": message.starts_at.isoformat(), "venue": message.venue}


def for_booking(message: BookingFacts) -> list[Draft]:
    """Returns what the booker (and, for a sale, the event's owner) is told about a booking."""
    data = _booking_data(message)
    tickets, paid = _tickets(message.tickets), format_money(message.amount, message.currency)
    match message:
        case BookingConfirmed():
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.confirmed",
                    title="Booking confirmed",
                    body=f"Your booking of {tickets} for {message.event_title} is confirmed; {paid} paid.",
                    data={**data, "payment_id": message.payment_id},
                    channels=(EMAIL,),
                ),
                Draft(
                    recipient=message.event_owner_id,
                    type="tickets.sold",
                    title="Tickets sold",
                    body=f"{tickets} sold for {message.event_title} ({paid}).",
                    data=data,
                ),
            ]
        case BookingFailed():
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.failed",
                    title="Booking failed",
                    body=f"Your booking of {tickets} for {message.event_title} did not go through: "
                    f"{message.reason}. Nothing was charged.",
                    data={**data, "reason": message.reason},
                )
            ]
        case BookingCancelled():
            refunded = format_money(message.refunded_amount, message.currency)
            title = message.event_title
            why = {
                "event_cancelled": f"{title} was cancelled, so your booking of {tickets} is cancelled",
                "refunded": f"Your payment for {title} was refunded, "
                f"so your booking of {tickets} is cancelled",
            }.get(message.reason, f"Your booking of {tickets} for {title} is cancelled")
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.cancelled",
                    title="Booking cancelled",
                    body=f"{why}; {refunded} refunded.",
                    data={**data, "reason": message.reason, "refunded_amount": message.refunded_amount},
                    channels=(EMAIL,),
                )
            ]
    return []


def for_refund(message: PaymentRefunded) -> list[Draft]:
    """Returns what the payer is told about money going back to them."""
    refunded = format_money(message.refunded_amount, message.currency)
    so_far = (
        f" ({format_money(message.total_refunded, message.currency)} refunded so far)"
        if message.status == "partially_refunded"
        else ""
    )
    return [
        Draft(
            recipient=message.user_id,
            type="payment.refunded",
            title="Refund issued",
            body=f"{refunded} is on its way back to you{so_far}.",
            data={
                "payment_id": message.payment_id,
                "booking_id": message.booking_id,
                "refund_id": message.refund_id,
                "refunded_amount": message.refunded_amount,
                "total_refunded": message.total_refunded,
                "currency": message.currency,
            },
        )
    ]


def for_event(message: EventSnapshot) -> list[Draft]:
    """Returns what everyone (a new event) or the event's attendees (a change) are told."""
    data = _event_data(message)
    match message:
        case EventCreated() if message.status == "scheduled":
            return [
                Draft(
                    recipient=EVERYONE,
                    type="event.created",
                    title=f"New event: {message.title}",
                    body=f"{message.title} at {message.venue}, {_when(message.starts_at)}.",
                    data=data,
                )
            ]
        case EventUpdated():
            news = [name for name in message.changed if name not in _NOT_NEWS_TO_ATTENDEES]
            if not news:
                return []
            return [
                Draft(
                    recipient=Attendees(message.event_id),
                    type="event.updated",
                    title=f"Event updated: {message.title}",
                    body=f"Changed: {', '.join(news)}. It is at {message.venue}, {_when(message.starts_at)}.",
                    data={**data, "changed": news},
                )
            ]
        case EventCancelled():
            return [_event_cancelled(message)]
        case EventDeleted() if message.status != "cancelled":  # else its attendees were told already
            return [_event_cancelled(message)]
    return []


def _event_cancelled(message: EventSnapshot) -> Draft:
    return Draft(
        recipient=Attendees(message.event_id),
        type="event.cancelled",
        title=f"Event cancelled: {message.title}",
        body=f"{message.title} on {_when(message.starts_at)} is cancelled; "
        "your bookings are cancelled and refunded.",
        data=_event_data(message),
    )
