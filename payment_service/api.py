from typing import Any

from fastapi import APIRouter, FastAPI, Response, status

from payment_service import service
from payment_service.deps import IdempotencyKey, PaymentQueryDep
from payment_service.schemas import PaymentCreate, PaymentPage, PaymentPublic, RefundCreate, RefundPublic
from shared.auth import CurrentPrincipal
from shared.errors import add_error_table
from shared.mongo_outbox import OutboxFullError, WakesOutboxRelay

router = APIRouter(prefix="/payments", tags=["payments"])

REPLAYED_HEADER = "Idempotent-Replayed"

_COMMON: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, invalid or expired token"},
    503: {"description": "The database, or the user service's keys, cannot be reached"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such payment, or not the caller's"}}
_KEY_REUSED = "The Idempotency-Key was used with a different request, or its first request is still running"

# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    service.ChargeNotAllowedError: status.HTTP_403_FORBIDDEN,
    service.RefundNotAllowedError: status.HTTP_403_FORBIDDEN,
    service.PaymentNotFoundError: status.HTTP_404_NOT_FOUND,
    service.IdempotencyKeyReusedError: status.HTTP_409_CONFLICT,
    service.IdempotencyKeyInProgressError: status.HTTP_409_CONFLICT,
    service.NotRefundableError: status.HTTP_409_CONFLICT,
    service.RefundTooLargeError: status.HTTP_409_CONFLICT,
    service.TooManyRefundsError: status.HTTP_409_CONFLICT,
    OutboxFullError: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def _mark_replayed(response: Response, replayed: bool) -> None:
    if replayed:
        response.headers[REPLAYED_HEADER] = "true"


@router.post(
    "",
    response_model=PaymentPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WakesOutboxRelay],
    responses={
        **_COMMON,
        403: {"description": "Only the booking service and admins create payments"},
        409: {"description": _KEY_REUSED},
    },
)
async def create_payment(
    payment_in: PaymentCreate, idempotency_key: IdempotencyKey, caller: CurrentPrincipal, response: Response
) -> PaymentPublic:
    """Charges a card for the booking service (or an admin); a declined card is also stored and answered
    201 with status `declined`."""
    recorded = await service.create(caller=caller, idempotency_key=idempotency_key, payment_in=payment_in)
    _mark_replayed(response, recorded.replayed)
    return PaymentPublic.of(recorded.value)


@router.get("", response_model=PaymentPage, responses=_COMMON)
async def read_payments(query: PaymentQueryDep, viewer: CurrentPrincipal) -> PaymentPage:
    """Lists payments, newest first: a user sees only their own, services and admins see all;
    `idempotency_key` finds the one the caller made with that key."""
    payments, total = await service.get_all(viewer=viewer, query=query)
    return PaymentPage(
        items=[PaymentPublic.of(payment) for payment in payments],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@router.get("/{payment_id}", response_model=PaymentPublic, responses={**_COMMON, **_NOT_FOUND})
async def read_payment(payment_id: str, viewer: CurrentPrincipal) -> PaymentPublic:
    """Returns one payment to its payer, a service or an admin."""
    payment = await service.get(viewer=viewer, payment_id=payment_id)
    if payment is None:
        raise service.PaymentNotFoundError()
    return PaymentPublic.of(payment)


@router.post(
    "/{payment_id}/refunds",
    response_model=RefundPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WakesOutboxRelay],
    responses={
        **_COMMON,
        **_NOT_FOUND,
        403: {"description": "Only the booking service and admins refund; a user cancels the booking"},
        409: {
            "description": "Not refundable, more than is left to refund, a partial refund where only the "
            f"rest may be refunded (the payment has all its refunds but one), or: {_KEY_REUSED.lower()}"
        },
        503: {
            "description": "The database or the user service's keys cannot be reached, or the broker has "
            "been unreachable so long that the payment holds as many unpublished changes as it may; "
            "retry after `Retry-After`"
        },
    },
)
async def create_refund(
    payment_id: str,
    refund_in: RefundCreate,
    idempotency_key: IdempotencyKey,
    caller: CurrentPrincipal,
    response: Response,
) -> RefundPublic:
    """Refunds what is left of a payment, or `amount` of it; never more than was paid in total."""
    recorded = await service.refund(
        caller=caller, payment_id=payment_id, idempotency_key=idempotency_key, refund_in=refund_in
    )
    _mark_replayed(response, recorded.replayed)
    payment, refund = recorded.value
    return RefundPublic.of(payment, refund)


def add_error_handlers(app: FastAPI) -> None:
    """Answers each domain error with its status from the table (a full outbox with when to retry)."""
    add_error_table(app, _ERROR_STATUS)
