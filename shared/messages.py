"""The message catalogue: every `data` payload published on the exchange, keyed by its type.

The type is also the routing key. A payload model never changes incompatibly under the same type;
a breaking change gets a new type name. A model that declares `message_type` joins the catalogue;
a message only one service sends and reads is declared in that service.
"""

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

# Filled by the models below, and by any service's own, as each is defined.
CATALOGUE: dict[str, type["MessageData"]] = {}
# The broker user that publishes each family of types (what a type starts with, up to its first dot):
# a consumer accepts a type only from its owner, by the `user_id` RabbitMQ vouches for.
OWNERS = {
    "user": "user_service",
    "event": "event_service",
    "booking": "booking_service",
    "payment": "payment_service",
    "notifications": "notification_service",
}


class MessageData(BaseModel):
    """Base of every payload: consumers accept fields added later by producers."""

    model_config = ConfigDict(extra="allow")
    # The type and routing key of a payload that is published; none on a base of several.
    message_type: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        message_type = cls.__dict__.get("message_type")
        if message_type is None:
            return
        if message_type in CATALOGUE:
            raise TypeError(f"{cls.__name__}: the message type {message_type!r} is already in the catalogue")
        CATALOGUE[message_type] = cls


class UserRegistered(MessageData):
    """A new account was created."""

    message_type = "user.registered"

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

    message_type = "event.created"


class EventUpdated(EventSnapshot):
    """An event changed; `changed` names the fields that did."""

    message_type = "event.updated"

    changed: list[str]


class EventCancelled(EventSnapshot):
    """An event was cancelled: no more sales, and its bookings are refunded."""

    message_type = "event.cancelled"


class EventDeleted(EventSnapshot):
    """An event was deleted: treated as cancelled by every consumer."""

    message_type = "event.deleted"


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

    message_type = "booking.confirmed"

    payment_id: str | None


class BookingFailed(BookingFacts):
    """The payment did not go through; the seats were released."""

    message_type = "booking.failed"

    reason: str


# Why a booking was cancelled: its holder (or an admin) asked, its event was, or its payment was
# refunded in full at the payment service.
CancellationReason = Literal["cancelled_by_user", "event_cancelled", "refunded"]


class BookingCancelled(BookingFacts):
    """Seats returned and the payment refunded (`refunded_amount`, minor units); `refunded`: the
    payment was refunded in full at the payment service (by an admin), and the booking followed."""

    message_type = "booking.cancelled"

    reason: CancellationReason
    refunded_amount: int


class PaymentFacts(MessageData):
    payment_id: str
    booking_id: str
    user_id: str
    amount: int = Field(description="Amount charged in minor units (cents)")
    currency: str


class PaymentSucceeded(PaymentFacts):
    """The card was charged."""

    message_type = "payment.succeeded"


class PaymentFailed(PaymentFacts):
    """The card was declined."""

    message_type = "payment.failed"

    reason: str


class PaymentRefunded(PaymentFacts):
    """Money went back to the payer: `refunded_amount` now, `total_refunded` so far."""

    message_type = "payment.refunded"

    refund_id: str
    refunded_amount: int
    total_refunded: int
    status: Literal["refunded", "partially_refunded"]


def message_type_of(data: MessageData) -> str:
    """Returns the type (and routing key) under which `data` is published."""
    return type(data).message_type
