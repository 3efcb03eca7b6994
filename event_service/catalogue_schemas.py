"""Request and response bodies of an event's ticket types, quotas and vouchers."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from event_service.models import PriceMode
from event_service.schemas import MAX_CAPACITY, MAX_OFFSET, MAX_PRICE, MAX_TICKETS_PER_BOOKING, Moment, Price

MAX_TICKET_TYPES = 50
MAX_QUOTAS = 50
MAX_VOUCHERS = 1000
MAX_VOUCHER_USAGES = 100_000
# Every snapshot carries every voucher: ten types each keeps the largest message near 0.7 MB.
MAX_VOUCHER_TICKET_TYPES = 10
MAX_POSITION = 10_000
# Object ids are 24 hex digits; a longer id is no type of any event.
MAX_ID_LENGTH = 24

Name = Annotated[str, Field(min_length=1, max_length=100)]
TypeDescription = Annotated[str, Field(max_length=1000)]
PerBooking = Annotated[int, Field(strict=True, ge=1, le=MAX_TICKETS_PER_BOOKING)]
Position = Annotated[
    int, Field(strict=True, ge=0, le=MAX_POSITION, description="Display order, lowest first")
]
TypeId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
VoucherTypeIds = Annotated[
    list[TypeId],
    Field(max_length=MAX_VOUCHER_TICKET_TYPES, description="Types it applies to, at most 10; empty: all"),
]
QuotaSize = Annotated[int, Field(strict=True, ge=1, le=MAX_CAPACITY)]
VoucherCode = Annotated[
    str,
    Field(
        min_length=3,
        max_length=32,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Letters, digits, - and _; unique per event whatever the case, stored upper-case",
    ),
]
MaxUsages = Annotated[int, Field(strict=True, ge=1, le=MAX_VOUCHER_USAGES)]
VoucherValue = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=MAX_PRICE,
        description="`percent`: 1..100 off; `fixed`: minor units off; `set`: the price it sets; `none`: 0",
    ),
]


def check_sales_window(sales_start: datetime | None, sales_end: datetime | None) -> None:
    if sales_start is not None and sales_end is not None and sales_end <= sales_start:
        raise ValueError("sales_end must be after sales_start")


def check_per_booking(min_per_booking: int, max_per_booking: int) -> None:
    if max_per_booking < min_per_booking:
        raise ValueError(
            f"max_per_booking ({max_per_booking}) must not be below min_per_booking ({min_per_booking})"
        )


def check_voucher_value(price_mode: PriceMode, value: int) -> None:
    if price_mode == "none" and value != 0:
        raise ValueError("value must be 0 when price_mode is 'none'")
    if price_mode == "percent" and not 1 <= value <= 100:
        raise ValueError("value must be between 1 and 100 when price_mode is 'percent'")


def _not_null(value: Any, info: ValidationInfo) -> Any:
    if value is None:
        raise ValueError(f"{info.field_name} cannot be null; leave it out to keep its value")
    return value


def _upper(code: str | None) -> str | None:
    return None if code is None else code.upper()


_TYPE_EXAMPLE = {
    "name": "Early bird",
    "description": "Cheaper tickets for the first buyers.",
    "price": 1800,
    "sales_end": "2030-05-01T00:00:00+02:00",
    "max_per_booking": 4,
    "position": 1,
}


class TicketTypeCreate(BaseModel):
    """A new kind of ticket of the event."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [_TYPE_EXAMPLE]}
    )

    name: Name
    description: TypeDescription = ""
    price: Price
    sales_start: Moment | None = None
    sales_end: Moment | None = None
    min_per_booking: PerBooking = 1
    max_per_booking: PerBooking | None = Field(
        default=None, description="At most the event's `max_tickets_per_booking`, which is the default"
    )
    hidden: bool = Field(default=False, description="Sold only with a voucher that unlocks hidden types")
    position: Position = 0

    @field_validator("sales_end")
    @classmethod
    def _ends_after_start(cls, sales_end: datetime | None, info: ValidationInfo) -> datetime | None:
        check_sales_window(info.data.get("sales_start"), sales_end)
        return sales_end

    @field_validator("max_per_booking")
    @classmethod
    def _at_least_min(cls, max_per_booking: int | None, info: ValidationInfo) -> int | None:
        min_per_booking = info.data.get("min_per_booking")
        if max_per_booking is not None and min_per_booking is not None:
            check_per_booking(min_per_booking, max_per_booking)
        return max_per_booking


class TicketTypeUpdate(BaseModel):
    """A partial change of a ticket type; `sales_start`/`sales_end` may be set to null to lift them."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"price": 2000}, {"hidden": True}, {"sales_end": None}]},
    )

    name: Name | None = None
    description: TypeDescription | None = None
    price: Price | None = Field(default=None, description="Of the default type: the event's price too")
    sales_start: Moment | None = None
    sales_end: Moment | None = None
    min_per_booking: PerBooking | None = None
    max_per_booking: PerBooking | None = None
    hidden: bool | None = None
    position: Position | None = None

    _required = field_validator(
        "name",
        "description",
        "price",
        "min_per_booking",
        "max_per_booking",
        "hidden",
        "position",
        mode="before",
    )(_not_null)


class QuotaCreate(BaseModel):
    """Seats shared by some ticket types: together they sell at most `size`."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [{"name": "Balcony", "size": 40, "ticket_type_ids": ["66f0c2a1e4b0a1b2c3d4e5f6"]}]
        },
    )

    name: Name
    size: QuotaSize
    ticket_type_ids: Annotated[
        list[TypeId],
        Field(min_length=1, max_length=MAX_TICKET_TYPES, description="Types of this event, 1 to 50"),
    ]


class QuotaUpdate(BaseModel):
    """A partial change of a quota."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{"size": 60}]}
    )

    name: Name | None = None
    size: QuotaSize | None = None
    ticket_type_ids: Annotated[list[TypeId], Field(min_length=1, max_length=MAX_TICKET_TYPES)] | None = None

    _required = field_validator("*", mode="before")(_not_null)


class QuotaPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    size: int
    ticket_type_ids: list[str]


_VOUCHER_EXAMPLE = {
    "code": "JAZZFRIENDS",
    "max_usages": 20,
    "valid_until": "2030-06-01T00:00:00+02:00",
    "price_mode": "percent",
    "value": 25,
}


class VoucherCreate(BaseModel):
    """A new promo code; without `code` one of 10 unambiguous upper-case characters is made."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [_VOUCHER_EXAMPLE, {"max_usages": 1, "unlocks_hidden": True}]},
    )

    code: VoucherCode | None = None
    max_usages: MaxUsages = 1
    valid_until: Moment | None = None
    ticket_type_ids: VoucherTypeIds = Field(default_factory=list)
    price_mode: PriceMode = "none"
    # Checked even when left out: `percent` needs a value.
    value: VoucherValue = Field(default=0, validate_default=True)
    unlocks_hidden: bool = False
    disabled: bool = False

    _stored_upper = field_validator("code")(_upper)

    @field_validator("value")
    @classmethod
    def _fits_mode(cls, value: int, info: ValidationInfo) -> int:
        price_mode = info.data.get("price_mode")
        if price_mode is not None:
            check_voucher_value(price_mode, value)
        return value


class VoucherUpdate(BaseModel):
    """A partial change of a voucher; `valid_until` may be set to null to lift it."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"disabled": True}, {"max_usages": 50}]},
    )

    max_usages: MaxUsages | None = None
    valid_until: Moment | None = None
    ticket_type_ids: VoucherTypeIds | None = None
    price_mode: PriceMode | None = None
    value: VoucherValue | None = None
    unlocks_hidden: bool | None = None
    disabled: bool | None = None

    _required = field_validator(
        "max_usages", "ticket_type_ids", "price_mode", "value", "unlocks_hidden", "disabled", mode="before"
    )(_not_null)


class VoucherPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    max_usages: int
    valid_until: datetime | None
    ticket_type_ids: list[str] = Field(description="Empty: every type")
    price_mode: PriceMode
    value: int
    unlocks_hidden: bool
    disabled: bool
    redeemed: bool = Field(default=False, description="Used in a booking: it can be disabled, not deleted")


class VoucherQuery(BaseModel):
    limit: int = Field(default=50, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


class VoucherPage(BaseModel):
    items: list[VoucherPublic]
    total: int = Field(description="Vouchers of the event, on every page")
    limit: int
    offset: int
