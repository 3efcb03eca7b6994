"""Who is told what: each consumed message becomes drafts of notifications for the right people."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from notification_service.models import EVERYONE
from notification_service.texts import (
    as_aware,
    format_money,
    local_datetime,
    local_time,
    ticket_types,
    tickets,
)
from shared.messages import (
    BookingCancelled,
    BookingConfirmed,
    BookingExpired,
    BookingFacts,
    BookingFailed,
    BookingHeld,
    BookingOffered,
    EventCancelled,
    EventCreated,
    EventDeleted,
    EventSnapshot,
    EventUpdated,
    PaymentRefunded,
)

EMAIL = "email"
# Changes that matter to whoever sells seats, not to someone who already holds them.
_NOT_NEWS_TO_ATTENDEES = frozenset(
    {
        "capacity",
        "price",
        "currency",
        "max_tickets_per_booking",
        "version",
        "hold_minutes",
        "offer_hours",
        "ticket_types",
        "quotas",
        "vouchers",
    }
)
# A hold ending within this long of its notification is told by its time of day alone ("19:45 CET");
# a later one with its date too, so that "until 09:00" cannot be read as the wrong morning.
_TIME_OF_DAY_ENOUGH = timedelta(hours=12)


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


def _booking_data(message: BookingFacts) -> dict[str, Any]:
    return {
        "booking_id": message.booking_id,
        "event_id": message.event_id,
        "tickets": message.tickets,
        "amount": message.amount,
        "currency": message.currency,
        # Empty from releases before ticket types: the booking is of the event's one default type.
        "items": [item.model_dump(mode="json") for item in message.items],
        "event_starts_at": message.event_starts_at.isoformat() if message.event_starts_at else None,
        "event_timezone": message.event_timezone,
    }


def _event_data(message: EventSnapshot) -> dict[str, Any]:
    return {
        "event_id": message.event_id,
        "starts_at": message.starts_at.isoformat(),
        "venue": message.venue,
        "timezone": message.timezone,
    }


def _its_tickets(message: BookingFacts) -> str:
    """Returns "3 tickets (2 × Regular, 1 × VIP)", or "3 tickets" for a booking without items."""
    counted, types = tickets(message.tickets), ticket_types(message.items)
    return f"{counted} ({types})" if types else counted


def _starts(message: BookingFacts) -> str:
    """Returns a sentence on when the event starts, in its own zone, or nothing when not told."""
    if message.event_starts_at is None:
        return ""
    return f" It starts {local_datetime(message.event_starts_at, message.event_timezone)}."


def _until(message: BookingHeld) -> str:
    if as_aware(message.expires_at) - datetime.now(UTC) > _TIME_OF_DAY_ENOUGH:
        return local_datetime(message.expires_at, message.event_timezone)
    return local_time(message.expires_at, message.event_timezone)


def _offer_entry(message: BookingFacts) -> str | None:
    """The waiting list entry a booking was offered to, if it is an offer: a field `booking.offered`
    declares, and the other messages of an offer carry as one added later."""
    entry = getattr(message, "waiting_list_entry_id", None)
    return str(entry) if entry is not None else None


def _offered(message: BookingOffered, data: dict[str, Any]) -> Draft:
    held_are = "is" if message.tickets == 1 else "are"
    return Draft(
        recipient=message.user_id,
        type="booking.offered",
        title="Seats offered from the waiting list",
        body=f"Seats freed up for {message.event_title}: {_its_tickets(message)} {held_are} held for you "
        f"until {_until(message)}; pay before then to book them.",
        data={
            **data,
            "expires_at": message.expires_at.isoformat(),
            "waiting_list_entry_id": message.waiting_list_entry_id,
        },
        channels=(EMAIL,),
    )


def for_booking(message: BookingFacts) -> list[Draft]:
    """Returns what the booker (and, for a sale, the event's owner) is told about a booking."""
    data = _booking_data(message)
    title, paid = message.event_title, format_money(message.amount, message.currency)
    match message:
        case BookingOffered():  # before `BookingHeld`, which it extends
            return [_offered(message, data)]
        case BookingExpired() if _offer_entry(message) is not None:
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.expired",
                    title="Offer expired",
                    body=f"Your offer of {_its_tickets(message)} for {title} from the waiting list ended "
                    "unpaid and has passed on to the next in line. Nothing was charged.",
                    data={**data, "waiting_list_entry_id": _offer_entry(message)},
                    channels=(EMAIL,),
                )
            ]
        case BookingHeld():
            until = _until(message)
            held_are = "is" if message.tickets == 1 else "are"
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.held",
                    title="Tickets held",
                    body=f"Your {_its_tickets(message)} for {title} {held_are} held until {until}; "
                    "pay before then to keep them.",
                    data={**data, "expires_at": message.expires_at.isoformat()},
                    channels=(EMAIL,),
                )
            ]
        case BookingExpired():
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.expired",
                    title="Hold expired",
                    body=f"Your hold on {_its_tickets(message)} for {title} ended unpaid and the seats "
                    "are back on sale. Nothing was charged.",
                    data=data,
                    channels=(EMAIL,),
                )
            ]
        case BookingConfirmed():
            types = ticket_types(message.items)
            sold = f"{types}; {paid}" if types else paid
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.confirmed",
                    title="Booking confirmed",
                    body=f"Your booking of {_its_tickets(message)} for {title} is confirmed; {paid} paid."
                    f"{_starts(message)}",
                    data={**data, "payment_id": message.payment_id},
                    channels=(EMAIL,),
                ),
                Draft(
                    recipient=message.event_owner_id,
                    type="tickets.sold",
                    title="Tickets sold",
                    body=f"{tickets(message.tickets)} sold for {title} ({sold}).",
                    data=data,
                ),
            ]
        case BookingFailed():
            return [
                Draft(
                    recipient=message.user_id,
                    type="booking.failed",
                    title="Booking failed",
                    body=f"Your booking of {_its_tickets(message)} for {title} did not go through: "
                    f"{message.reason}. Nothing was charged.",
                    data={**data, "reason": message.reason},
                )
            ]
        case BookingCancelled():
            refunded = format_money(message.refunded_amount, message.currency)
            its_tickets = _its_tickets(message)
            why = {
                "event_cancelled": f"{title} was cancelled, so your booking of {its_tickets} is cancelled",
                "refunded": f"Your payment for {title} was refunded, "
                f"so your booking of {its_tickets} is cancelled",
            }.get(message.reason, f"Your booking of {its_tickets} for {title} is cancelled")
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
                    body=f"{message.title} at {message.venue}, {_when(message)}.",
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
                    body=f"Changed: {', '.join(news)}. It is at {message.venue}, {_when(message)}.",
                    data={**data, "changed": news},
                )
            ]
        case EventCancelled():
            return [_event_cancelled(message)]
        case EventDeleted() if message.status != "cancelled":  # else its attendees were told already
            return [_event_cancelled(message)]
    return []


def _when(message: EventSnapshot) -> str:
    return local_datetime(message.starts_at, message.timezone)


def _event_cancelled(message: EventSnapshot) -> Draft:
    return Draft(
        recipient=Attendees(message.event_id),
        type="event.cancelled",
        title=f"Event cancelled: {message.title}",
        body=f"{message.title} on {_when(message)} is cancelled; your bookings are cancelled and refunded.",
        data=_event_data(message),
    )
