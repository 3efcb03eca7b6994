"""The message catalogue: every `data` payload published on the exchange, keyed by its type.

The type is also the routing key. A payload model never changes incompatibly under the same type;
a breaking change gets a new type name.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class MessageData(BaseModel):
    """Base of every payload: consumers accept fields added later by producers."""

    model_config = ConfigDict(extra="allow")


class UserRegistered(MessageData):
    """A new account was created."""

    user_id: str = Field(description="Id of the new user")
    username: str
    email: str
    full_name: str
    roles: list[str]
    registered_at: datetime


class EventSnapshot(MessageData):
    """The whole event as it stands after the change; `version` grows with every change."""

    event_id: str
    owner_id: str
    title: str
    venue: str
    category: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    price: int = Field(description="Ticket price in minor units (cents)")
    currency: str = Field(description="ISO 4217 code")
    max_tickets_per_booking: int
    status: Literal["scheduled", "cancelled"]
    version: int


class EventCreated(EventSnapshot):
    """An event was published."""


class EventUpdated(EventSnapshot):
    """An event changed; `changed` names the fields that did."""

    changed: list[str]


class EventCancelled(EventSnapshot):
    """An event was cancelled: no more sales, and its bookings are refunded."""


class EventDeleted(EventSnapshot):
    """An event was deleted: treated as cancelled by every consumer."""


class BookingFacts(MessageData):
    """What a booking message tells: enough to notify the booker and the organizer without a call."""

    booking_id: str
    user_id: str
    event_id: str
    event_title: str
    event_owner_id: str
    tickets: int
    amount: int = Field(description="Total in minor units (cents)")
    currency: str


class BookingConfirmed(BookingFacts):
    """Seats sold and paid (`payment_id` is None for a free event)."""

    payment_id: str | None


class BookingFailed(BookingFacts):
    """The payment did not go through; the seats were released."""

    reason: str


class BookingCancelled(BookingFacts):
    """Seats returned and the payment refunded (`refunded_amount`, minor units)."""

    reason: Literal["cancelled_by_user", "event_cancelled"]
    refunded_amount: int


class PaymentFacts(MessageData):
    payment_id: str
    booking_id: str
    user_id: str
    amount: int = Field(description="Amount charged in minor units (cents)")
    currency: str


class PaymentSucceeded(PaymentFacts):
    """The card was charged."""


class PaymentFailed(PaymentFacts):
    """The card was declined."""

    reason: str


class PaymentRefunded(PaymentFacts):
    """Money went back to the payer: `refunded_amount` now, `total_refunded` so far."""

    refund_id: str
    refunded_amount: int
    total_refunded: int
    status: Literal["refunded", "partially_refunded"]


class StoredNotification(MessageData):
    """One stored notification, as a replica holding its recipient's sockets needs it."""

    notification_id: str
    recipient: str = Field(description="The user id, or `*` for a notification to everyone")
    type: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime


class NotificationsStored(MessageData):
    """Internal to the notification service: the notifications one consumed message produced were
    stored, and every replica delivers each to the WebSockets it holds for its recipient.

    One message per stored part (up to the service's `PART_SIZE` recipients), so telling 5,000
    attendees costs a handful of publishes, not 5,000, and no message grows with the audience."""

    notifications: list[StoredNotification]


CATALOGUE: dict[str, type[MessageData]] = {
    "user.registered": UserRegistered,
    "event.created": EventCreated,
    "event.updated": EventUpdated,
    "event.cancelled": EventCancelled,
    "event.deleted": EventDeleted,
    "booking.confirmed": BookingConfirmed,
    "booking.failed": BookingFailed,
    "booking.cancelled": BookingCancelled,
    "payment.succeeded": PaymentSucceeded,
    "payment.failed": PaymentFailed,
    "payment.refunded": PaymentRefunded,
    "notifications.stored": NotificationsStored,
}


_TYPE_OF_MODEL = {model: message_type for message_type, model in CATALOGUE.items()}


def message_type_of(data: MessageData) -> str:
    """Returns the type (and routing key) under which `data` is published."""
    return _TYPE_OF_MODEL[type(data)]


def parse_data(message_type: str, data: dict[str, Any]) -> MessageData:
    """Returns the typed payload of a received message."""
    return CATALOGUE[message_type].model_validate(data)
