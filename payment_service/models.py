"""Payments as stored in `payment_db`: every charge attempt, with its refunds and pending messages."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from shared.mongo_listing import Listing
from shared.mongo_outbox import OutboxDocument

PaymentStatus = Literal["succeeded", "declined", "refunded", "partially_refunded"]
REFUNDABLE_STATUSES: tuple[PaymentStatus, ...] = ("succeeded", "partially_refunded")

# Listings are newest first, then by id.
LISTING = Listing(
    order=[("created_at", DESCENDING), ("_id", DESCENDING)],
    index="by_created",
    filtered={"booking_id": "by_booking", "user_id": "by_user"},
)


# Refunds live inside their payment, so their number bounds its size (far below MongoDB's 16 MB, and
# its outbox's limit). The last refund allowed must give back all that is left, so no money is stranded.
MAX_REFUNDS_PER_PAYMENT = 100


class Refund(BaseModel):
    """Money given back. It lives inside its payment, so the refund and the new total are one write."""

    id: str
    amount: int
    created_at: datetime
    # The request that made it, for replays: its key is scoped to the caller and this payment.
    caller_id: str
    idempotency_key: str
    requested_amount: int | None


class Payment(OutboxDocument):
    """One charge attempt, declined ones included, made by `caller_id` under `idempotency_key`."""

    outbox_source = "payment_service"

    booking_id: str
    user_id: str
    amount: int
    currency: str
    payment_method: str
    status: PaymentStatus
    decline_reason: str | None = None
    refunded_amount: int = 0
    refunds: list[Refund] = Field(default_factory=list)
    caller_id: str
    idempotency_key: str
    created_at: datetime

    class Settings:
        name = "payments"
        indexes = [
            # Decides between concurrent requests with one key: only one insert can win.
            IndexModel(
                [("caller_id", ASCENDING), ("idempotency_key", ASCENDING)],
                unique=True,
                name="idempotency_key_per_caller",
            ),
            *LISTING.indexes(),
        ]

    def refund_made_with(self, *, caller_id: str, idempotency_key: str) -> Refund | None:
        """Returns the refund this caller already made with this key, if any."""
        return next(
            (
                refund
                for refund in self.refunds
                if refund.caller_id == caller_id and refund.idempotency_key == idempotency_key
            ),
            None,
        )

    def as_charged(self) -> "Payment":
        """Returns the payment as it stood when first answered, before any refund."""
        status: PaymentStatus = "declined" if self.decline_reason else "succeeded"
        return self.model_copy(update={"status": status, "refunded_amount": 0, "refunds": []})

    def as_refunded_by(self, refund: Refund) -> "Payment":
        """Returns the payment as it stood right after `refund`, the refunds before it included."""
        so_far = self.refunds[: self.refunds.index(refund) + 1]
        refunded = sum(earlier.amount for earlier in so_far)
        return self.model_copy(
            update={
                "status": status_after_refunds(amount=self.amount, refunded_amount=refunded),
                "refunded_amount": refunded,
                "refunds": so_far,
            }
        )


def status_after_refunds(*, amount: int, refunded_amount: int) -> PaymentStatus:
    """Returns the status of a succeeded payment once `refunded_amount` of it went back."""
    return "refunded" if refunded_amount >= amount else "partially_refunded"
