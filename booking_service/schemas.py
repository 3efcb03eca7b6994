import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# An event id goes into the event service's URLs, so it keeps to characters that need no escaping.
EVENT_ID_PATTERN = r"^[A-Za-z0-9_-]+$"
# The event service's own limit; with its MAX_PRICE, the dearest booking fits a 32-bit `amount` and
# is a charge the payment service takes.
MAX_TICKETS_PER_BOOKING = 100
# The payment service's largest charge. An event stored at a price from before the limits agreed can
# still ask for more; such a booking is refused before any seat is held.
MAX_AMOUNT = 99_999_999
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


class BookingCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"event_id": "665f1c2e9b1d4a0012345678", "tickets": 2}]},
    )

    event_id: str = Field(min_length=1, max_length=64, pattern=EVENT_ID_PATTERN)
    # Strict: a JSON integer only; true, 2.0 and "2" are refused rather than read as a number of tickets.
    tickets: int = Field(
        strict=True,
        ge=1,
        le=MAX_TICKETS_PER_BOOKING,
        description="At most the event's max_tickets_per_booking",
    )
    payment_method: PaymentMethod = Field(
        default="pm_card_visa",
        description="A test payment method: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined",
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


class BookingPage(BaseModel):
    items: list[BookingPublic]
    total: int
    limit: int
    offset: int


class Availability(BaseModel):
    event_id: str
    capacity: int
    sold: int
    held: int = Field(description="Seats reserved by bookings whose payment is still in progress")
    available: int = Field(description="Seats neither sold nor held; bookable only while `on_sale`")
    on_sale: bool = Field(description="False once the event is cancelled or deleted")
