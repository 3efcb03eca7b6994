"""Request and response bodies of the event API, and the rules an event must keep."""

import re
import zoneinfo
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_extra_types.currency_code import Currency

from event_service.models import DEFAULT_HOLD_MINUTES, DEFAULT_OFFER_HOURS, DEFAULT_TIMEZONE, EventStatus
from shared.mongo import to_stored_time

DEFAULT_MAX_TICKETS_PER_BOOKING = 10
MAX_TICKETS_PER_BOOKING = 100
MAX_CAPACITY = 1_000_000
# Minor units: 9,999.99 in the major unit. A booking of MAX_TICKETS_PER_BOOKING at this price
# (99,999,900) is still a charge the payment service takes (its MAX_AMOUNT, Stripe's 99,999,999) and
# fits the booking service's 32-bit `amount`.
MAX_PRICE = 999_999
MAX_OFFSET = 100_000
MAX_HOLD_MINUTES = 60
# A week: an offer from the waiting list is held at most this long.
MAX_OFFER_HOURS = 168


def check_schedule(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")


def check_ticket_limit(max_tickets_per_booking: int, capacity: int) -> None:
    if max_tickets_per_booking > capacity:
        raise ValueError(
            f"max_tickets_per_booking ({max_tickets_per_booking}) must not exceed capacity ({capacity})"
        )


def check_in_future(starts_at: datetime) -> None:
    if starts_at <= datetime.now(UTC):
        raise ValueError("starts_at must be in the future")


def _in_future(starts_at: datetime) -> datetime:
    check_in_future(starts_at)
    return starts_at


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _not_a_timestamp(value: Any) -> Any:
    # Pydantic would read a number as seconds since 1970; the API takes the ISO 8601 it documents.
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("Give an ISO 8601 date-time with a timezone, e.g. 2030-06-21T19:30:00Z")
    return value


_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _no_control_character(text: str) -> str:
    # MongoDB refuses a pattern holding a NUL, so a search for one would fail as a 500, not a 422.
    if _CONTROL_CHARACTER.search(text):
        raise ValueError("Must not contain control characters (such as NUL, tab or newline)")
    return text


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_timezone(name: str) -> str:
    if name not in _timezones():
        raise ValueError("Must be an IANA time zone name, e.g. Europe/Berlin or America/New_York")
    return name


Title = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=5000)]
Venue = Annotated[str, Field(min_length=1, max_length=200)]
Category = Annotated[
    str, BeforeValidator(_lower), Field(min_length=1, max_length=50, description="Kept in lower case")
]
SearchText = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_no_control_character)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_not_a_timestamp)]
# Stored as MongoDB keeps it (UTC, milliseconds), so what a write returns is what a read returns.
Moment = Annotated[IsoDateTime, AfterValidator(to_stored_time)]
StartsAt = Annotated[Moment, AfterValidator(_in_future), Field(description="Must be in the future")]
# A change may resend the start of an event that has begun; only a new start must lie ahead.
NewStartsAt = Annotated[Moment, Field(description="Must be in the future when it changes")]
# Strict: a float (even 10.0), a string or a boolean is refused rather than silently converted.
Capacity = Annotated[int, Field(strict=True, ge=1, le=MAX_CAPACITY)]
Price = Annotated[
    int,
    Field(strict=True, ge=0, le=MAX_PRICE, description="Ticket price in minor units (cents), never a float"),
]
# The payment service takes the same list: an event is never priced in a currency it cannot charge.
CurrencyCode = Annotated[Currency, Field(description="ISO 4217 code, e.g. EUR")]
MaxTickets = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_TICKETS_PER_BOOKING,
        description="Most tickets one booking may buy; at most the capacity",
    ),
]

Timezone = Annotated[
    str,
    Field(min_length=1, max_length=64, description="IANA time zone in which the event's times are read"),
    AfterValidator(_known_timezone),
]
HoldMinutes = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_HOLD_MINUTES,
        description="How long a checkout holds its seats before it must be paid",
    ),
]
OfferHours = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_OFFER_HOURS,
        description="How long an offer to a waiting list entry holds its seats before it must be paid",
    ),
]

_EXAMPLE = {
    "title": "Jazz on the Roof",
    "description": "An evening of standards with the Marlow Trio.",
    "venue": "Skyline Terrace, 12 Harbour St",
    "category": "music",
    "starts_at": "2030-06-21T19:30:00+02:00",
    "ends_at": "2030-06-21T22:30:00+02:00",
    "capacity": 120,
    "price": 2500,
    "currency": "EUR",
    "max_tickets_per_booking": 6,
    "timezone": "Europe/Berlin",
    "hold_minutes": 15,
    "offer_hours": 24,
}


class EventCreate(BaseModel):
    """A new event; the caller becomes its owner."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: Title
    description: Description = ""
    venue: Venue
    category: Category
    starts_at: StartsAt
    ends_at: Moment
    capacity: Capacity
    price: Price
    currency: CurrencyCode
    max_tickets_per_booking: MaxTickets | None = Field(
        default=None,
        description=f"Defaults to {DEFAULT_MAX_TICKETS_PER_BOOKING}, or to the capacity when that is smaller",
    )
    timezone: Timezone = DEFAULT_TIMEZONE
    hold_minutes: HoldMinutes = DEFAULT_HOLD_MINUTES
    offer_hours: OfferHours = DEFAULT_OFFER_HOURS

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None:  # otherwise starts_at itself is reported invalid
            check_schedule(starts_at, ends_at)
        return ends_at

    @field_validator("max_tickets_per_booking")
    @classmethod
    def _within_capacity(cls, limit: int | None, info: ValidationInfo) -> int | None:
        capacity = info.data.get("capacity")
        if limit is not None and capacity is not None:
            check_ticket_limit(limit, capacity)
        return limit

    @model_validator(mode="after")
    def _default_ticket_limit(self) -> Self:
        if self.max_tickets_per_booking is None:
            self.max_tickets_per_booking = min(DEFAULT_MAX_TICKETS_PER_BOOKING, self.capacity)
        return self


class EventUpdate(BaseModel):
    """A partial change: fields left out keep their value. A cancelled event cannot be changed."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"venue": "Harbour Hall", "capacity": 200}, {"status": "cancelled"}]},
    )

    title: Title | None = None
    description: Description | None = None
    venue: Venue | None = None
    category: Category | None = None
    starts_at: NewStartsAt | None = None
    ends_at: Moment | None = None
    capacity: Capacity | None = None
    price: Price | None = None
    currency: CurrencyCode | None = None
    max_tickets_per_booking: MaxTickets | None = None
    timezone: Timezone | None = None
    hold_minutes: HoldMinutes | None = None
    offer_hours: OfferHours | None = None
    status: EventStatus | None = Field(
        default=None,
        description="`cancelled` cancels the event, like `POST /events/{id}/cancel`, and must come alone; "
        "a cancelled event is final and is never scheduled again",
    )

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            raise ValueError(f"{info.field_name} cannot be null; leave it out to keep its value")
        return value

    @field_validator("status")
    @classmethod
    def _cancel_alone(cls, status: EventStatus, info: ValidationInfo) -> EventStatus:
        if status == "cancelled" and any(value is not None for value in info.data.values()):
            raise ValueError("status 'cancelled' cannot be combined with other changes")
        return status


class TicketTypePublic(BaseModel):
    """A kind of ticket; `price` in minor units of the event's currency."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The default type's id is the event's id")
    name: str
    description: str
    price: int = Field(description="Minor units (cents); 0 is free")
    sales_start: datetime | None = Field(description="Not sold before; null: from publication")
    sales_end: datetime | None = Field(description="Not sold from then; null: until the event starts")
    min_per_booking: int
    max_per_booking: int
    hidden: bool = Field(description="Sold only with a voucher that unlocks it; listed to its organizer only")
    position: int = Field(description="Display order, lowest first")


def displayed(ticket_types: list[Any]) -> list[Any]:
    """Returns ticket types in display order: by position, then by name."""
    return sorted(ticket_types, key=lambda ticket_type: (ticket_type.position, ticket_type.name))


class EventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Annotated[str, BeforeValidator(str)]
    title: str
    description: str
    venue: str
    category: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    price: int = Field(description="Minor units (cents)")
    currency: str = Field(description="ISO 4217 code")
    max_tickets_per_booking: int
    status: EventStatus
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Starts at 1 and grows with every change; the `ETag` is built from it")
    timezone: str = Field(default=DEFAULT_TIMEZONE, description="IANA time zone of the event")
    hold_minutes: int = Field(default=DEFAULT_HOLD_MINUTES, description="How long a checkout holds seats")
    offer_hours: int = Field(
        default=DEFAULT_OFFER_HOURS, description="How long an offer from the waiting list holds seats"
    )
    ticket_types: list[TicketTypePublic] = Field(
        default_factory=list,
        description="The types on public sale, by position then name; hidden ones are listed at "
        "`GET /events/{id}/ticket-types` to the organizer only",
    )

    @field_validator("ticket_types")
    @classmethod
    def _public_in_order(cls, ticket_types: list[TicketTypePublic]) -> list[TicketTypePublic]:
        return displayed([ticket_type for ticket_type in ticket_types if not ticket_type.hidden])


class EventPage(BaseModel):
    items: list[EventPublic]
    total: int = Field(description="Events matching the filters, on every page")
    limit: int
    offset: int


class EventQuery(BaseModel):
    """Filters and a page of the public event list, sorted by start time."""

    q: SearchText | None = Field(
        default=None, description="Case-insensitive match within the title; no control characters"
    )
    category: Category | None = None
    owner_id: str | None = Field(default=None, min_length=1, max_length=100)
    status: EventStatus | None = None
    starts_after: IsoDateTime | None = Field(
        default=None, description="Events starting at or after this moment, e.g. 2030-01-01T00:00:00Z"
    )
    starts_before: IsoDateTime | None = Field(
        default=None, description="Events starting before this moment, e.g. 2031-01-01T00:00:00Z"
    )
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    @field_validator("starts_before")
    @classmethod
    def _window_not_empty(cls, starts_before: datetime | None, info: ValidationInfo) -> datetime | None:
        starts_after = info.data.get("starts_after")
        if starts_before is not None and starts_after is not None and starts_before <= starts_after:
            raise ValueError("starts_before must be after starts_after")
        return starts_before
