import io
import uuid
from typing import Annotated

import segno
from fastapi import APIRouter, FastAPI, Path, Query, Response, status

from checkin_service import access, errors, tickets
from checkin_service.deps import SessionDep, SignerDep
from checkin_service.schemas import (
    ID_PATTERN,
    DoorStaffCreate,
    DoorStaffPage,
    DoorStaffPublic,
    Jwks,
    Revocation,
    RevocationPage,
    TicketPage,
    TicketPublic,
    TicketUpdate,
)
from shared.auth import CurrentPrincipal, CurrentUser
from shared.errors import add_error_table, detail_of
from shared.keys import ALGORITHM

router = APIRouter(tags=["tickets"])

AUTH = {401: {"description": "Missing, invalid or expired token"}}
FORBIDDEN = {403: {"description": "Not the event's organizer, an admin (or, where allowed, its door staff)"}}
PathId = Annotated[str, Path(max_length=64, pattern=ID_PATTERN)]
_TICKET_NOT_FOUND = {404: {"description": "No such ticket, or not yours"}}
_EVENT_NOT_FOUND = {404: {"description": "No such event known to the check-in service"}}
# Revocations one page gives: a scanner fetches them all before the doors open.
MAX_REVOCATIONS_PAGE = 1000
# A QR code module is drawn this many SVG units wide; the code scales with the image.
QR_SCALE = 4

# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    errors.NotFoundError: status.HTTP_404_NOT_FOUND,
    errors.ForbiddenError: status.HTTP_403_FORBIDDEN,
    errors.TicketLockedError: status.HTTP_409_CONFLICT,
    errors.LimitReachedError: status.HTTP_409_CONFLICT,
    errors.InvalidFieldError: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def _detail_and_field(error: Exception) -> dict[str, object]:
    body = detail_of(error)
    if isinstance(error, errors.InvalidFieldError):
        body["field"] = error.field
    return body


def add_error_handlers(app: FastAPI) -> None:
    add_error_table(app, _ERROR_STATUS, body=_detail_and_field)


@router.get("/.well-known/ticket-keys", response_model=Jwks, tags=["keys"])
async def read_ticket_keys(signer: SignerDep) -> Jwks:
    """The public keys that verify ticket secrets (JWKS, Ed25519), for scanners that work offline."""
    return Jwks(keys=[signer.key.jwk(use="sig", alg=ALGORITHM)])


@router.get(
    "/bookings/{booking_id}/tickets",
    response_model=TicketPage,
    responses={**AUTH, 404: {"description": "No tickets of such a booking, or not yours"}},
)
async def read_booking_tickets(
    booking_id: PathId,
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> TicketPage:
    """Lists a booking's tickets in seat order, to its owner or an admin."""
    found = await tickets.get_for_booking(session, booking_id=booking_id, principal=principal)
    page = found[offset : offset + limit]
    return TicketPage(
        items=[TicketPublic.model_validate(ticket) for ticket in page],
        total=len(found),
        limit=limit,
        offset=offset,
    )


@router.get("/tickets/{ticket_id}", response_model=TicketPublic, responses={**AUTH, **_TICKET_NOT_FOUND})
async def read_ticket(ticket_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> TicketPublic:
    """Returns one ticket, to its owner or an admin."""
    return TicketPublic.model_validate(await tickets.get(session, ticket_id=ticket_id, principal=principal))


@router.patch(
    "/tickets/{ticket_id}",
    response_model=TicketPublic,
    responses={
        **AUTH,
        **_TICKET_NOT_FOUND,
        409: {"description": "The event has started, or the ticket was revoked"},
    },
)
async def update_ticket(
    ticket_id: uuid.UUID, ticket_in: TicketUpdate, principal: CurrentUser, session: SessionDep
) -> TicketPublic:
    """Puts a ticket in another attendee's name, until its event starts; its secret stays the same."""
    ticket = await tickets.rename(
        session, ticket_id=ticket_id, principal=principal, attendee_name=ticket_in.attendee_name
    )
    return TicketPublic.model_validate(ticket)


@router.get(
    "/tickets/{ticket_id}/qr.svg",
    response_class=Response,
    responses={
        **AUTH,
        **_TICKET_NOT_FOUND,
        200: {"content": {"image/svg+xml": {}}, "description": "The QR code of the ticket's secret"},
    },
)
async def read_ticket_qr(ticket_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Draws the ticket's secret as a QR code (SVG), to its owner or an admin."""
    ticket = await tickets.get(session, ticket_id=ticket_id, principal=principal)
    return Response(qr_svg(ticket.secret), media_type="image/svg+xml", headers={"Cache-Control": "private"})


def qr_svg(secret: str) -> bytes:
    """The QR code of `secret` as an SVG document (an image of its own, so with its namespace): error
    correction M, which a phone reads from a worn screen."""
    drawn = io.BytesIO()
    segno.make_qr(secret, error="m").save(drawn, kind="svg", scale=QR_SCALE, title="Ticket")
    return drawn.getvalue()


@router.get(
    "/events/{event_id}/revocations",
    response_model=RevocationPage,
    tags=["check-in"],
    responses={**AUTH, **FORBIDDEN, **_EVENT_NOT_FOUND},
)
async def read_revocations(
    event_id: PathId,
    principal: CurrentPrincipal,
    session: SessionDep,
    since: Annotated[int, Query(ge=0, le=2**62, description="The last `cursor` seen; 0 for all")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_REVOCATIONS_PAGE)] = 500,
) -> RevocationPage:
    """Tickets of the event revoked after `since`, oldest first, for scanners that work offline
    (organizer, admin, door staff)."""
    revoked = await tickets.get_revocations(
        session, event_id=event_id, principal=principal, since=since, limit=limit
    )
    items = [Revocation.model_validate(ticket) for ticket in revoked]
    return RevocationPage(
        items=items,
        next_since=items[-1].cursor if items else since,
        has_more=len(items) == limit,
        limit=limit,
    )


@router.post(
    "/events/{event_id}/door-staff",
    response_model=DoorStaffPublic,
    status_code=201,
    tags=["check-in"],
    responses={
        **AUTH,
        **FORBIDDEN,
        **_EVENT_NOT_FOUND,
        409: {"description": "The event has all the staff it may"},
    },
)
async def create_door_staff(
    event_id: PathId, staff_in: DoorStaffCreate, principal: CurrentPrincipal, session: SessionDep
) -> DoorStaffPublic:
    """Lets a user scan tickets at the event's lists (organizer, admin); granting twice is no error."""
    granted = await access.grant(session, event_id=event_id, principal=principal, user_id=staff_in.user_id)
    return DoorStaffPublic.model_validate(granted)


@router.get(
    "/events/{event_id}/door-staff",
    response_model=DoorStaffPage,
    tags=["check-in"],
    responses={**AUTH, **FORBIDDEN, **_EVENT_NOT_FOUND},
)
async def read_door_staff(
    event_id: PathId,
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> DoorStaffPage:
    """Lists the event's door staff, first granted first (organizer, admin)."""
    staff, total = await access.get_all(
        session, event_id=event_id, principal=principal, limit=limit, offset=offset
    )
    return DoorStaffPage(
        items=[DoorStaffPublic.model_validate(one) for one in staff], total=total, limit=limit, offset=offset
    )


@router.delete(
    "/events/{event_id}/door-staff/{user_id}",
    status_code=204,
    response_class=Response,
    tags=["check-in"],
    responses={
        **AUTH,
        **FORBIDDEN,
        404: {"description": "No such event, or that user is not its door staff"},
    },
)
async def delete_door_staff(
    event_id: PathId,
    user_id: Annotated[str, Path(max_length=64, pattern=ID_PATTERN)],
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Ends a user's door staff role at the event (organizer, admin)."""
    await access.withdraw(session, event_id=event_id, principal=principal, user_id=user_id)
    return Response(status_code=204)
