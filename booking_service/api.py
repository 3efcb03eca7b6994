import uuid
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Path, Query, status

from booking_service import availability, cancellation, errors, sales, service
from booking_service.deps import EventsDep, PaymentsDep, SessionDep
from booking_service.sales_schemas import SalesPublic
from booking_service.schemas import (
    EVENT_ID_PATTERN,
    Availability,
    BookingCreate,
    BookingPage,
    BookingPublic,
    BookingStatus,
    Payment,
)
from shared.auth import CurrentPrincipal, CurrentUser
from shared.errors import add_error_table, detail_of

router = APIRouter(tags=["bookings"])

_AUTH = {401: {"description": "Missing, invalid or expired token"}}
_NOT_FOUND = {404: {"description": "No such booking, or not yours"}}

# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    errors.BookingNotFoundError: status.HTTP_404_NOT_FOUND,
    errors.EventNotFoundError: status.HTTP_404_NOT_FOUND,
    errors.NotOnSaleError: status.HTTP_409_CONFLICT,
    errors.NotEnoughSeatsError: status.HTTP_409_CONFLICT,
    errors.IdempotencyKeyReusedError: status.HTTP_409_CONFLICT,
    errors.BookingInProgressError: status.HTTP_409_CONFLICT,
    errors.NotCancellableError: status.HTTP_409_CONFLICT,
    errors.TooManyTicketsError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.PaymentDeclinedError: status.HTTP_402_PAYMENT_REQUIRED,
    errors.PaymentRejectedError: status.HTTP_502_BAD_GATEWAY,
    errors.ServiceUnavailableError: status.HTTP_503_SERVICE_UNAVAILABLE,
    errors.PaymentOutcomeUnknownError: status.HTTP_504_GATEWAY_TIMEOUT,
    errors.InvalidItemError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.VoucherRefusedError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.HoldExpiredError: status.HTTP_409_CONFLICT,
    errors.NotHeldError: status.HTTP_409_CONFLICT,
    errors.TicketTypeOnSaleError: status.HTTP_409_CONFLICT,
    errors.AlreadyWaitingError: status.HTTP_409_CONFLICT,
    errors.TooManyEntriesError: status.HTTP_409_CONFLICT,
    errors.EntryNotFoundError: status.HTTP_404_NOT_FOUND,
    errors.EntryNotActiveError: status.HTTP_409_CONFLICT,
    errors.NotOrganizerError: status.HTTP_403_FORBIDDEN,
}


def _detail_and_booking(error: Exception) -> dict[str, object]:
    """A refused booking's reason, and the booking itself when one was stored."""
    body = detail_of(error)
    # What a client needs to point at the fault: the field, or the ticket type and why.
    for name in ("field", "ticket_type_id", "reason"):
        value = getattr(error, name, None)
        if value is not None:
            body[name] = value
    if isinstance(error, errors.VoucherRefusedError):
        body["field"] = "voucher"
    if isinstance(error, errors.BookingError) and error.booking is not None:
        body["booking"] = BookingPublic.model_validate(error.booking).model_dump(mode="json")
    return body


def add_error_handlers(app: FastAPI) -> None:
    add_error_table(app, _ERROR_STATUS, body=_detail_and_booking)


@router.post(
    "/bookings",
    response_model=BookingPublic,
    status_code=201,
    responses={
        **_AUTH,
        402: {"description": "Payment declined; the seats were released"},
        403: {"description": "A service identity cannot book"},
        404: {"description": "No such event"},
        409: {
            "description": "Not enough seats (`ticket_type_id`, `reason`: sold_out), a type not on sale "
            "(`reason`: not_yet, ended), the event is cancelled or has started, the key was used for a "
            "different booking, or the booking made with the key is still being paid (retry later)"
        },
        422: {
            "description": "Invalid body (`detail` lists each field), or a request the event does not "
            "allow: an unknown type, a quantity outside the type's min/max or the event's "
            "max_tickets_per_booking, or a voucher refused (`field`: voucher, `reason`: unknown, "
            "disabled, expired, not_applicable, used_up); `field` names the part at fault"
        },
        502: {"description": "The payment service refused the charge; the seats were released"},
        503: {"description": "The payment or event service is unavailable; nothing was charged"},
        504: {"description": "The payment did not answer in time; the booking stays pending until resolved"},
    },
)
async def create_booking(
    booking_in: BookingCreate,
    current_user: CurrentUser,
    session: SessionDep,
    events: EventsDep,
    payments: PaymentsDep,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=255)] = None,
) -> BookingPublic:
    """Books and pays for tickets: `tickets` of the event's default type, or `items` of its ticket
    types (each type once, at most 20), at the prices the event sets (after `voucher`, if given).
    All or nothing: every item's seats are reserved, or none.

    With `hold: true` the seats are only reserved: 201 `held` with `expires_at`, to be paid with
    `POST /bookings/{id}/pay` before then. A retry with the same `Idempotency-Key` answers as its
    booking ended (confirmed, declined, or the hold), or 409 while it is being paid; after a failure
    that charged nothing (502, 503) it books afresh."""
    booking = await service.book(
        session,
        events=events,
        payments=payments,
        user_id=current_user.id,
        booking_in=booking_in,
        idempotency_key=idempotency_key,
    )
    return BookingPublic.model_validate(booking)


@router.get("/bookings", response_model=BookingPage, responses=_AUTH)
async def read_bookings(
    principal: CurrentPrincipal,
    session: SessionDep,
    event_id: Annotated[str | None, Query(max_length=64, pattern=EVENT_ID_PATTERN)] = None,
    status: BookingStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> BookingPage:
    """Lists the caller's bookings, newest first (admins and services see everyone's)."""
    owner = None if principal.is_admin or principal.is_service else principal.id
    items, total = await service.get_all(
        session, user_id=owner, event_id=event_id, status=status, limit=limit, offset=offset
    )
    return BookingPage(
        items=[BookingPublic.model_validate(item) for item in items], total=total, limit=limit, offset=offset
    )


@router.get("/bookings/{booking_id}", response_model=BookingPublic, responses={**_AUTH, **_NOT_FOUND})
async def read_booking(
    booking_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> BookingPublic:
    """Returns one booking of the caller's (any booking for an admin)."""
    return BookingPublic.model_validate(
        await service.get(session, booking_id=booking_id, principal=principal)
    )


@router.post(
    "/bookings/{booking_id}/cancel",
    response_model=BookingPublic,
    responses={
        **_AUTH,
        **_NOT_FOUND,
        409: {"description": "Only confirmed bookings can be cancelled"},
        502: {"description": "The payment service refused the refund; the booking is unchanged"},
        503: {"description": "The payment service is unavailable; the booking is unchanged"},
    },
)
async def cancel_booking(
    booking_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, payments: PaymentsDep
) -> BookingPublic:
    """Cancels a confirmed booking: seats go back on sale and the payment is refunded. A hold
    (`held`) is given up: its seats go back on sale, nothing was charged, and it ends `expired`."""
    booking = await service.get(session, booking_id=booking_id, principal=principal)
    if booking.status == BookingStatus.HELD:
        released = await service.release_hold(session, booking=booking, reason="given up by its owner")
        return BookingPublic.model_validate(released)
    return BookingPublic.model_validate(
        await cancellation.cancel(session, payments=payments, booking=booking)
    )


@router.post(
    "/bookings/{booking_id}/pay",
    response_model=BookingPublic,
    responses={
        **_AUTH,
        **_NOT_FOUND,
        402: {"description": "Payment declined; the seats were released"},
        403: {"description": "A service identity cannot pay"},
        409: {"description": "The hold expired (its seats are back on sale), or the booking is not held"},
        502: {"description": "The payment service refused the charge; the seats were released"},
        503: {"description": "The payment service is unavailable; nothing was charged, the seats released"},
        504: {"description": "The payment did not answer in time; the booking stays pending until resolved"},
    },
)
async def pay_booking(
    booking_id: uuid.UUID,
    current_user: CurrentUser,
    session: SessionDep,
    payments: PaymentsDep,
    payment: Payment | None = None,
) -> BookingPublic:
    """Pays for a hold of the caller's before its `expires_at`: confirmed, or declined (402) and its
    seats released; after `expires_at`, 409 and the seats are back on sale."""
    method = payment.payment_method if payment is not None else None
    return BookingPublic.model_validate(
        await service.pay_hold(
            session, payments=payments, booking_id=booking_id, principal=current_user, payment_method=method
        )
    )


@router.get(
    "/events/{event_id}/availability",
    response_model=Availability,
    tags=["availability"],
    responses={
        404: {"description": "No such event"},
        503: {"description": "The event service is unavailable"},
    },
)
async def read_availability(
    event_id: Annotated[str, Path(max_length=64, pattern=EVENT_ID_PATTERN)],
    session: SessionDep,
    events: EventsDep,
) -> Availability:
    """Seats of an event: capacity, sold, held (being paid or on hold), and available; each ticket
    type on public sale with what one could book of it now, and each quota."""
    seats = await service.ensure_inventory(session, events, event_id=event_id)
    return await availability.read(session, seats=seats)


@router.get(
    "/events/{event_id}/sales",
    response_model=SalesPublic,
    tags=["availability"],
    responses={
        **_AUTH,
        403: {"description": "Not the event's organizer or an admin"},
        404: {"description": "No such event"},
    },
)
async def read_sales(
    event_id: Annotated[str, Path(max_length=64, pattern=EVENT_ID_PATTERN)],
    principal: CurrentPrincipal,
    session: SessionDep,
    events: EventsDep,
) -> SalesPublic:
    """An event's sales for its organizer's dashboard (organizer, admin): seats sold and held per
    ticket type, hidden types too, and the money its confirmed bookings brought in and gave back."""
    return await sales.read(session, events, event_id=event_id, principal=principal)
