import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

# An event id goes into the event service's URLs, so it keeps to characters that need no escaping.
EVENT_ID_PATTERN = r"^[A-Za-z0-9_-]+$"
# The event service's own limit; with its MAX_PRICE, the dearest booking fits a 32-bit `amount` and
# is a charge the payment service takes.
MAX_TICKETS_PER_BOOKING = 100
# Items (ticket types) one booking may hold.
MAX_ITEMS = 20
# The payment service's largest charge. An event stored at a price from before the limits agreed can
# still ask for more; such a booking is refused before any seat is held.
MAX_AMOUNT = 99_999_999
# An attendee's name as a ticket prints it.
MAX_ATTENDEE_NAME = 100
AttendeeName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ATTENDEE_NAME)
]
# The test methods the payment service accepts; it refuses any other.
PaymentMethod = Literal[
    "pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds"
]


class BookingStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    # Seats released at the pending timeout while the payment's outcome was still unknown; the
    # sweeper then settles that payment (refunding it if it went through) and fails the booking.
    RELEASED = "released"
    CANCELLED = "cancelled"
    # Cancelled with its event, but the payment service refused the refund: an admin's to resolve.
    REFUND_REFUSED = "refund_refused"
    # Seats reserved for a checkout (`hold: true`), unpaid until `expires_at`.
    HELD = "held"
    # A hold not paid in time, or given up by its owner: seats back on sale, nothing charged.
    EXPIRED = "expired"


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ticket_type_id: str = Field(min_length=1, max_length=64, pattern=EVENT_ID_PATTERN)
    quantity: int = Field(
        strict=True, ge=1, le=MAX_TICKETS_PER_BOOKING, description="Within the type's min and max per booking"
    )


class BookingCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "event_id": "665f1c2e9b1d4a0012345678",
                    "items": [
                        {"ticket_type_id": "665f1c2e9b1d4a0012345678", "quantity": 2},
                        {"ticket_type_id": "665f1c2e9b1d4a00123456aa", "quantity": 1},
                    ],
                    "voucher": "EARLYBIRD",
                    "attendee_names": ["Ada Lovelace", "Charles Babbage"],
                },
                {"event_id": "665f1c2e9b1d4a0012345678", "tickets": 2},
            ]
        },
    )

    event_id: str = Field(min_length=1, max_length=64, pattern=EVENT_ID_PATTERN)
    # Strict: a JSON integer only; true, 2.0 and "2" are refused rather than read as a number of tickets.
    tickets: int | None = Field(
        default=None,
        strict=True,
        ge=1,
        le=MAX_TICKETS_PER_BOOKING,
        description="Tickets of the event's default type (at most the event's max_tickets_per_booking); "
        "give either this or `items`",
    )
    items: list[ItemCreate] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_ITEMS,
        validate_default=True,
        description="Tickets per type, each type once; give either this or `tickets`",
    )
    voucher: str | None = Field(
        default=None, min_length=1, max_length=64, description="A promo code of the event (any case)"
    )
    payment_method: PaymentMethod = Field(
        default="pm_card_visa",
        description="A test payment method: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined",
    )
    hold: bool = Field(
        default=False,
        strict=True,
        description="Reserve the seats unpaid until `expires_at`, to pay with `POST /bookings/{id}/pay`",
    )
    attendee_names: list[AttendeeName] | None = Field(
        default=None,
        max_length=MAX_TICKETS_PER_BOOKING,
        description="Who attends, in ticket order (items' order), at most one per ticket, each 1..100 "
        "characters; tickets past them are in the booker's name",
    )

    @field_validator("items")
    @classmethod
    def _one_way_each_type_once(
        cls, items: list[ItemCreate] | None, info: ValidationInfo
    ) -> list[ItemCreate] | None:
        has_tickets = info.data.get("tickets") is not None or "tickets" not in info.data
        if items is None and not has_tickets:
            raise ValueError("Give either `tickets` or `items`")
        if items is not None and info.data.get("tickets") is not None:
            raise ValueError("Give either `tickets` or `items`, not both")
        if items is not None:
            types = [item.ticket_type_id for item in items]
            if len(set(types)) != len(types):
                raise ValueError("Each ticket type at most once; add up its quantities")
        return items

    @field_validator("attendee_names")
    @classmethod
    def _one_name_per_ticket_at_most(cls, names: list[str] | None, info: ValidationInfo) -> list[str] | None:
        items, tickets = info.data.get("items"), info.data.get("tickets")
        total = sum(item.quantity for item in items) if items else tickets
        if names is not None and total is not None and len(names) > total:
            raise ValueError(f"At most one name per ticket: {len(names)} names for {total} tickets")
        return names


class ItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ticket_type_id: str
    name: str
    quantity: int
    unit_price: int = Field(description="Minor units (cents), after the voucher if any")


class Payment(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"payment_method": "pm_card_visa"}]}
    )

    payment_method: PaymentMethod | None = Field(
        default=None, description="Replaces the method given with the hold, if any"
    )


class BookingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: str
    event_id: str
    event_title: str
    tickets: int
    amount: int = Field(description="Total in minor units (cents)")
    currency: str
    status: BookingStatus
    payment_id: str | None
    refunded_amount: int = Field(description="Refunded so far, in minor units (cents)")
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime
    items: list[ItemPublic] = Field(description="Tickets per type; `tickets` is their total")
    voucher: str | None = Field(default=None, description="The promo code applied, as the event spells it")
    expires_at: datetime | None = Field(
        default=None, description="A hold (`held`) not paid by then expires and frees its seats"
    )
    attendee_names: list[str] = Field(
        default_factory=list,
        description="Names given by the booker, in ticket order; the rest are the booker's",
    )
    waiting_list_entry_id: uuid.UUID | None = Field(
        default=None, description="For an offer from the waiting list: the entry it was offered to"
    )


class BookingPage(BaseModel):
    items: list[BookingPublic]
    total: int
    limit: int
    offset: int


TicketTypeStatus = Literal["on_sale", "not_yet", "ended", "sold_out", "hidden"]


class TicketTypeAvailability(BaseModel):
    ticket_type_id: str
    name: str
    price: int = Field(description="Minor units (cents), before any voucher")
    available: int = Field(
        description="Seats of this type one could book now: its capacity and quotas allowing"
    )
    status: TicketTypeStatus = Field(
        description="`on_sale`; `not_yet` (sales start later); `ended` (sales ended, or the event is "
        "cancelled or started); `sold_out`"
    )
    waiting: int = Field(default=0, description="Seats its waiting list entries ask for")


class QuotaAvailability(BaseModel):
    quota_id: str
    name: str
    size: int
    sold: int
    held: int
    available: int = Field(description="Seats the public can book: left, less those owed to the waiting list")
    waiting: int = Field(default=0, description="Seats its types' waiting list entries ask for")


class Availability(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "665f1c2e9b1d4a0012345678",
                    "capacity": 100,
                    "sold": 40,
                    "held": 2,
                    "available": 58,
                    "on_sale": True,
                    "waiting": 0,
                    "ticket_types": [
                        {
                            "ticket_type_id": "665f1c2e9b1d4a0012345678",
                            "name": "Admission",
                            "price": 2500,
                            "available": 18,
                            "status": "on_sale",
                            "waiting": 0,
                        }
                    ],
                    "quotas": [
                        {
                            "quota_id": "665f1c2e9b1d4a00123456bb",
                            "name": "Floor",
                            "size": 60,
                            "sold": 40,
                            "held": 2,
                            "available": 18,
                            "waiting": 0,
                        }
                    ],
                }
            ]
        }
    )

    event_id: str
    capacity: int
    sold: int
    held: int = Field(description="Seats reserved by bookings whose payment is still in progress")
    available: int = Field(
        description="Seats neither sold nor held nor owed to the waiting list; bookable only while `on_sale`"
    )
    waiting: int = Field(default=0, description="Seats the waiting list entries still waiting ask for")
    on_sale: bool = Field(description="False once the event is cancelled or deleted")
    ticket_types: list[TicketTypeAvailability] = Field(
        default_factory=list, description="Types on public sale, in display order (hidden ones are left out)"
    )
    quotas: list[QuotaAvailability] = Field(default_factory=list, description="Seats shared by some types")
