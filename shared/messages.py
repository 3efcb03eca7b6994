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
    "ticket": "checkin_service",
    "checkin": "checkin_service",
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


class TicketTypeFacts(BaseModel):
    """A kind of ticket an event sells. The default type, made with the event, has the event's id."""

    ticket_type_id: str
    name: str
    price: int = Field(description="Minor units (cents), in the event's currency; 0 is free")
    sales_start: datetime | None = Field(default=None, description="Not sold before; None: from publication")
    sales_end: datetime | None = Field(default=None, description="Not sold from then; None: till it starts")
    min_per_booking: int = 1
    max_per_booking: int
    hidden: bool = Field(default=False, description="Sold only with a voucher that unlocks it")
    position: int = Field(default=0, description="Display order, lowest first")


class QuotaFacts(BaseModel):
    """Seats shared by some ticket types: those types together sell at most `size`."""

    quota_id: str
    name: str
    size: int
    ticket_type_ids: list[str]


class VoucherFacts(BaseModel):
    """A promo code of an event: what it takes off, for which types, how often (`max_usages`)."""

    code: str
    max_usages: int
    valid_until: datetime | None = None
    ticket_type_ids: list[str] = Field(default_factory=list, description="Empty: every type")
    price_mode: Literal["none", "percent", "fixed", "set"] = "none"
    value: int = Field(default=0, description="Percent off, minor units off, or the price it sets")
    unlocks_hidden: bool = False
    disabled: bool = False


class EventSnapshot(MessageData):
    """The whole event as it stands after the change; `version` grows with every change.

    `capacity` is the quota over all its ticket types; `price` is the default type's price. A
    snapshot from before ticket types has none: its event sells one default type, of its price.
    """

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
    timezone: str = Field(default="UTC", description="IANA time zone in which people read its times")
    hold_minutes: int = Field(default=15, description="How long a checkout holds its seats unpaid")
    offer_hours: int = Field(
        default=24, description="How long an offer to a waiting list entry holds its seats unpaid"
    )
    ticket_types: list[TicketTypeFacts] = Field(default_factory=list)
    quotas: list[QuotaFacts] = Field(default_factory=list)
    vouchers: list[VoucherFacts] = Field(default_factory=list)


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


class BookingItemFacts(BaseModel):
    """Tickets of one type in a booking, at the unit price charged (after its voucher, if any)."""

    ticket_type_id: str
    name: str
    quantity: int
    unit_price: int = Field(description="Minor units (cents)")
    voucher: str | None = None


class BookingFacts(MessageData):
    """What a booking message tells: enough to notify the booker and the organizer without a call."""

    booking_id: str
    user_id: str
    event_id: str
    event_title: str
    event_owner_id: str
    tickets: int = Field(description="All its items' quantities together")
    amount: int = Field(description="Total in minor units (cents)")
    currency: str
    items: list[BookingItemFacts] = Field(default_factory=list, description="None from older releases")
    event_starts_at: datetime | None = None
    event_timezone: str = "UTC"
    attendee_names: list[str] = Field(
        default_factory=list,
        description="Names given by the booker, in ticket order; the rest are the booker's",
    )


class BookingHeld(BookingFacts):
    """Seats held for a checkout, unpaid, until `expires_at`."""

    message_type = "booking.held"

    expires_at: datetime


class BookingOffered(BookingHeld):
    """Freed seats went to a waiting list entry: held in its user's name, unpaid, until `expires_at`."""

    message_type = "booking.offered"

    waiting_list_entry_id: str


class BookingExpired(BookingFacts):
    """A hold was not paid in time: its seats are back on sale, and nothing was charged."""

    message_type = "booking.expired"


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


class TicketFacts(MessageData):
    """One admission: a seat of a confirmed booking, in its attendee's name."""

    ticket_id: str
    booking_id: str
    user_id: str
    event_id: str
    event_owner_id: str
    ticket_type_id: str
    attendee_name: str


class TicketIssued(TicketFacts):
    """A ticket was issued, or its attendee's name changed (`reissued`)."""

    message_type = "ticket.issued"

    reissued: bool = False


# Why a ticket no longer admits: its booking was cancelled, or its event (cancelled or deleted).
RevocationReason = Literal["booking_cancelled", "event_cancelled"]


class TicketRevoked(TicketFacts):
    """A ticket no longer admits: its booking or its event was cancelled."""

    message_type = "ticket.revoked"

    reason: RevocationReason


class CheckinScanned(MessageData):
    """A scan at a check-in list, whatever its verdict (`result`)."""

    message_type = "checkin.scanned"

    scan_id: str
    checkin_list_id: str
    event_id: str
    event_owner_id: str
    ticket_id: str | None = Field(description="None when the secret could not be read")
    ticket_type_id: str | None
    attendee_name: str | None
    direction: Literal["entry", "exit"]
    result: str = Field(description="ok, already_checked_in, revoked, wrong_event, ...")
    scanned_at: datetime
    offline: bool = Field(default=False, description="Uploaded later by a scanner that was offline")
    double_entry: bool = Field(
        default=False, description="An offline scanner let the ticket in while it was already in"
    )


def message_type_of(data: MessageData) -> str:
    """Returns the type (and routing key) under which `data` is published."""
    return type(data).message_type
