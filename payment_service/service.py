"""Payments and refunds through the simulated processor, their idempotency keys, who moves money (the
booking service and admins) and who sees what.

No lock guards an `Idempotency-Key`. A charge is decided and stored by one insert that is unique per
caller and key, so of concurrent requests with one key exactly one is stored, and the others find it
complete and replay it. A refund is pushed into its payment by a compare-and-set on the refunded
total, so two refunds, or two tries of one, can never both count. Each write stages its message in
the same single-document operation (DESIGN §5).
"""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from beanie import PydanticObjectId, UpdateResponse
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from payment_service import processor
from payment_service.models import (
    LISTING,
    MAX_REFUNDS_PER_PAYMENT,
    REFUNDABLE_STATUSES,
    Payment,
    Refund,
    status_after_refunds,
)
from payment_service.schemas import PaymentCreate, PaymentQuery, RefundCreate
from shared.auth import Principal
from shared.messages import PaymentFacts, PaymentFailed, PaymentRefunded, PaymentSucceeded
from shared.mongo import stored_now
from shared.mongo_outbox import room_for, stage_messages, with_messages

T = TypeVar("T")


class ChargeNotAllowedError(Exception):
    def __init__(self) -> None:
        super().__init__(
            "Only the booking service and admins create payments: book at the booking service, which charges"
        )


class RefundNotAllowedError(Exception):
    def __init__(self) -> None:
        super().__init__(
            "Only the booking service and admins refund payments: cancel the booking at the booking service, "
            "which refunds it"
        )


class IdempotencyKeyReusedError(Exception):
    def __init__(self, fields: list[str]) -> None:
        super().__init__(
            "This Idempotency-Key was already used with a different request "
            f"(differs in: {', '.join(fields)}); use a new key for a new request"
        )


class IdempotencyKeyInProgressError(Exception):
    def __init__(self) -> None:
        super().__init__("A request with this Idempotency-Key is still being processed; retry shortly")


class PaymentNotFoundError(Exception):
    def __init__(self) -> None:
        super().__init__("Payment not found")


class NotRefundableError(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(
            "The payment is already fully refunded"
            if status == "refunded"
            else f"Only succeeded payments can be refunded, and this one was {status}"
        )


class RefundTooLargeError(Exception):
    def __init__(self, *, amount: int, refundable: int) -> None:
        super().__init__(f"A refund of {amount} exceeds the {refundable} left to refund on this payment")


class TooManyRefundsError(Exception):
    def __init__(self, *, made: int, refundable: int) -> None:
        super().__init__(
            f"A payment may have at most {MAX_REFUNDS_PER_PAYMENT} refunds and this one has {made}: "
            f"the last must refund all {refundable} that is left (leave out `amount`)"
        )


@dataclass(frozen=True)
class Recorded(Generic[T]):
    """The outcome of an idempotent request: made now, or replayed from an earlier one with its key."""

    value: T
    replayed: bool


def _sees_all(viewer: Principal) -> bool:
    return viewer.is_service or viewer.is_admin


def _moves_money(caller: Principal) -> bool:
    # A booking's money moves with the booking: a payment a user made or refunded themselves would
    # leave seats sold unpaid, or paid seats refunded and still held.
    return caller.is_service or caller.is_admin


def _facts(payment: Payment) -> dict[str, Any]:
    return {
        "payment_id": str(payment.id),
        "booking_id": payment.booking_id,
        "user_id": payment.user_id,
        "amount": payment.amount,
        "currency": payment.currency,
    }


def _charge_message(payment: Payment) -> PaymentFacts:
    if payment.decline_reason:
        return PaymentFailed(**_facts(payment), reason=payment.decline_reason)
    return PaymentSucceeded(**_facts(payment))


async def create(*, caller: Principal, idempotency_key: str, payment_in: PaymentCreate) -> Recorded[Payment]:
    """Returns the payment as first answered: charged now, or made earlier by this caller with this key."""
    if not _moves_money(caller):
        raise ChargeNotAllowedError()
    # Deciding has no side effect, so losing the insert below to a duplicate charges nothing.
    decline_reason = processor.charge(payment_in.payment_method)
    payment = Payment(
        id=PydanticObjectId(),
        **payment_in.model_dump(),
        status="declined" if decline_reason else "succeeded",
        decline_reason=decline_reason,
        caller_id=caller.id,
        idempotency_key=idempotency_key,
        created_at=stored_now(),  # what a replay reads back equals the first answer
    )
    stage_messages(payment, _charge_message(payment))
    try:
        await payment.insert()
    except DuplicateKeyError:
        return Recorded(await _earlier_payment(caller, idempotency_key, payment_in), replayed=True)
    return Recorded(payment, replayed=False)


async def _earlier_payment(caller: Principal, idempotency_key: str, payment_in: PaymentCreate) -> Payment:
    earlier = await Payment.find_one({"caller_id": caller.id, "idempotency_key": idempotency_key})
    if earlier is None:  # only when reads lag writes, e.g. a MONGO_URL that reads from secondaries
        raise IdempotencyKeyInProgressError()
    differing = [field for field, value in payment_in if getattr(earlier, field) != value]
    if differing:
        raise IdempotencyKeyReusedError(differing)
    return earlier.as_charged()


async def get(*, viewer: Principal, payment_id: str) -> Payment | None:
    """Returns the payment if it exists and `viewer` may see it: its payer, a service or an admin."""
    if not ObjectId.is_valid(payment_id):
        return None
    payment = await Payment.get(PydanticObjectId(payment_id))
    if payment is None or not (_sees_all(viewer) or payment.user_id == viewer.id):
        return None
    return payment


async def get_all(*, viewer: Principal, query: PaymentQuery) -> tuple[list[Payment], int]:
    """Returns a page of the payments `viewer` may see, newest first, and how many match in all."""
    user_id = query.user_id
    if not _sees_all(viewer):
        if user_id not in (None, viewer.id):
            return [], 0
        user_id = viewer.id
    criteria = {
        name: value for name, value in (("booking_id", query.booking_id), ("user_id", user_id)) if value
    }
    if query.idempotency_key is not None:
        return await _made_under_key(viewer, query.idempotency_key, criteria, offset=query.offset)
    return await LISTING.page(Payment, criteria, offset=query.offset, limit=query.limit)


async def _made_under_key(
    caller: Principal, idempotency_key: str, criteria: dict[str, str], *, offset: int
) -> tuple[list[Payment], int]:
    """Returns the payment `caller` made with this key (keys are the caller's own), if it meets `criteria`."""
    # At most one: the unique index of keys per caller answers it, and no listing order is needed.
    made = await Payment.find_one({**criteria, "caller_id": caller.id, "idempotency_key": idempotency_key})
    found = [] if made is None else [made]
    return found[offset:], len(found)


async def refund(
    *, caller: Principal, payment_id: str, idempotency_key: str, refund_in: RefundCreate
) -> Recorded[tuple[Payment, Refund]]:
    """Returns the payment and the refund: made now, or made earlier by this caller with this key."""
    if not _moves_money(caller):
        raise RefundNotAllowedError()
    while True:
        payment = await get(viewer=caller, payment_id=payment_id)
        if payment is None:
            raise PaymentNotFoundError()
        earlier = payment.refund_made_with(caller_id=caller.id, idempotency_key=idempotency_key)
        if earlier is not None:
            if earlier.requested_amount != refund_in.amount:
                raise IdempotencyKeyReusedError(["amount"])
            return Recorded((payment, earlier), replayed=True)
        refunded = await refund_if_unchanged(
            payment=payment, caller=caller, idempotency_key=idempotency_key, refund_in=refund_in
        )
        if refunded is not None:
            return Recorded(refunded, replayed=False)
        # Another refund changed the payment since it was read: decide again on what it is now.


async def refund_if_unchanged(
    *, payment: Payment, caller: Principal, idempotency_key: str, refund_in: RefundCreate
) -> tuple[Payment, Refund] | None:
    """Returns the refunded payment and the refund, or None if `payment` changed since it was read."""
    if payment.status not in REFUNDABLE_STATUSES:
        raise NotRefundableError(payment.status)
    refundable = payment.amount - payment.refunded_amount
    amount = refund_in.amount or refundable
    if amount > refundable:
        raise RefundTooLargeError(amount=amount, refundable=refundable)
    if amount < refundable and len(payment.refunds) >= MAX_REFUNDS_PER_PAYMENT - 1:
        raise TooManyRefundsError(made=len(payment.refunds), refundable=refundable)
    refund = Refund(
        id=str(ObjectId()),
        amount=amount,
        created_at=stored_now(),  # what a replay reads back equals the first answer
        caller_id=caller.id,
        idempotency_key=idempotency_key,
        requested_amount=refund_in.amount,
    )
    total = payment.refunded_amount + amount
    status = status_after_refunds(amount=payment.amount, refunded_amount=total)
    message = PaymentRefunded(
        **_facts(payment), refund_id=refund.id, refunded_amount=amount, total_refunded=total, status=status
    )
    update = with_messages(
        Payment,
        {
            "$set": {"status": status, "refunded_amount": total},
            "$push": {"refunds": refund.model_dump()},
        },
        message,
    )
    # The status and the refunds follow from the refunded total: an unchanged total, an unchanged payment.
    unchanged = {"_id": payment.id, "refunded_amount": payment.refunded_amount, **room_for(payment)}
    updated = await Payment.find_one(unchanged).update(update, response_type=UpdateResponse.NEW_DOCUMENT)
    return None if updated is None else (updated, refund)
