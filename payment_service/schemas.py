from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic_extra_types.currency_code import Currency

from payment_service.models import Payment, PaymentStatus, Refund
from payment_service.processor import DEFAULT_PAYMENT_METHOD, PaymentMethod

# Minor units as a JSON integer: strict, so 10.5, "10" and true are refused rather than coerced.
# The upper bound is the largest amount Stripe accepts (99,999,999 minor units); the event service's
# MAX_PRICE times MAX_TICKETS_PER_BOOKING stays within it, so every booking is a charge it takes.
MAX_AMOUNT = 99_999_999
MinorUnits = Annotated[int, Field(strict=True, gt=0, le=MAX_AMOUNT, description="Minor units (cents)")]
# ISO 4217 from pycountry's maintained list, read in upper case; codes that are no money (XXX, the XTS
# test code, precious metals, bond units) are refused.
CurrencyCode = Annotated[Currency, Field(description="ISO 4217 code, e.g. EUR")]
ExternalId = Annotated[str, Field(min_length=1, max_length=100)]


class PaymentCreate(BaseModel):
    """A charge: who pays, for which booking, how much, and with which (simulated) card."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "booking_id": "4f1c2a9e-0b7d-4a51-9a3e-2f6d8c1b7e10",
                    "user_id": "6a0e3c52-8d4f-4b1e-a7c9-0d2e5f8a9b31",
                    "amount": 5000,
                    "currency": "EUR",
                    "payment_method": "pm_card_visa",
                }
            ]
        },
    )

    booking_id: ExternalId
    user_id: ExternalId = Field(description="The payer: the user who booked")
    amount: MinorUnits
    currency: CurrencyCode
    payment_method: PaymentMethod = Field(
        default=DEFAULT_PAYMENT_METHOD,
        description="A Stripe test method: `pm_card_chargeDeclined` is declined",
    )


class PaymentPublic(BaseModel):
    id: str
    status: PaymentStatus
    amount: int = Field(description="Minor units (cents)")
    currency: str
    booking_id: str
    user_id: str
    payment_method: str
    decline_reason: str | None = Field(description="Why the card was declined; null unless declined")
    refunded_amount: int = Field(description="Refunded so far, in minor units")
    created_at: datetime

    @classmethod
    def of(cls, payment: Payment) -> "PaymentPublic":
        fields = payment.model_dump(include=set(cls.model_fields) - {"id"})
        return cls(id=str(payment.id), **fields)


class PaymentPage(BaseModel):
    items: list[PaymentPublic]
    total: int = Field(description="How many payments match, across all pages")
    limit: int
    offset: int


class PaymentQuery(BaseModel):
    """Filters and paging of the payment list."""

    booking_id: ExternalId | None = None
    user_id: ExternalId | None = Field(default=None, description="Users only ever see their own payments")
    idempotency_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="Only the payment the caller made with this Idempotency-Key (keys are each caller's own)",
    )
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class RefundCreate(BaseModel):
    """A refund: everything not yet refunded unless `amount` says less."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}, {"amount": 2000}]})

    amount: MinorUnits | None = None


class RefundPublic(BaseModel):
    id: str
    payment_id: str
    amount: int = Field(description="Minor units (cents)")
    created_at: datetime
    payment: PaymentPublic = Field(description="The payment as it stood right after this refund")

    @classmethod
    def of(cls, payment: Payment, refund: Refund) -> "RefundPublic":
        return cls(
            id=refund.id,
            payment_id=str(payment.id),
            amount=refund.amount,
            created_at=refund.created_at,
            payment=PaymentPublic.of(payment.as_refunded_by(refund)),
        )
