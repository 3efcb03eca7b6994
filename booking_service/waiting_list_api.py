"""Routes of the waiting list: join a sold-out ticket type's queue, see and leave one's entries, and
the organizer's view of an event's queue. Domain errors are answered by `api.py`'s table."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from booking_service import waiting_list
from booking_service.deps import EventsDep, SessionDep
from booking_service.schemas import EVENT_ID_PATTERN
from booking_service.waiting_list_schemas import (
    WaitingListEntryCreate,
    WaitingListEntryPublic,
    WaitingListPage,
    WaitingListState,
)
from shared.auth import CurrentPrincipal, CurrentUser

router = APIRouter(tags=["waiting list"])

_AUTH = {401: {"description": "Missing, invalid or expired token"}}
EventId = Annotated[str, Path(max_length=64, pattern=EVENT_ID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.post(
    "/events/{event_id}/waiting-list",
    response_model=WaitingListEntryPublic,
    status_code=201,
    responses={
        **_AUTH,
        403: {"description": "A service identity cannot join"},
        404: {"description": "No such event"},
        409: {
            "description": "The type can still be booked (`reason`: on_sale), is not on sale (`reason`: "
            "not_yet, ended), the event is cancelled or has started, you already wait for this type "
            "(`reason`: already_waiting), or you have as many entries as one may (`reason`: "
            "too_many_entries)"
        },
        422: {
            "description": "Invalid body, an unknown type (`field`: ticket_type_id), or a quantity "
            "outside the type's min/max per booking (`field`: quantity)"
        },
    },
)
async def create_waiting_list_entry(
    event_id: EventId,
    entry_in: WaitingListEntryCreate,
    current_user: CurrentUser,
    session: SessionDep,
    events: EventsDep,
) -> WaitingListEntryPublic:
    """Joins the waiting list of a sold-out ticket type: freed seats are offered to its entries in
    order of joining, as a hold to pay before the offer's `expires_at`."""
    return await waiting_list.join(
        session, events, user_id=current_user.id, event_id=event_id, entry_in=entry_in
    )


@router.get(
    "/waiting-list",
    response_model=WaitingListPage,
    responses={**_AUTH, 403: {"description": "A service identity has no waiting list entries"}},
)
async def read_waiting_list_entries(
    current_user: CurrentUser,
    session: SessionDep,
    state: WaitingListState | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> WaitingListPage:
    """Lists the caller's waiting list entries, newest first, with their position and offer."""
    items, total = await waiting_list.get_all(
        session, user_id=current_user.id, event_id=None, state=state, limit=limit, offset=offset
    )
    return WaitingListPage(items=items, total=total, limit=limit, offset=offset)


@router.delete(
    "/waiting-list/{entry_id}",
    response_model=WaitingListEntryPublic,
    responses={
        **_AUTH,
        404: {"description": "No such entry, or not yours"},
        409: {"description": "The entry is booked, expired or withdrawn already, or its offer is being paid"},
    },
)
async def withdraw_waiting_list_entry(
    entry_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> WaitingListEntryPublic:
    """Leaves the waiting list (`withdrawn`); an offer not yet paid is given up and passes on."""
    return await waiting_list.withdraw(session, entry_id=entry_id, principal=principal)


@router.get(
    "/events/{event_id}/waiting-list",
    response_model=WaitingListPage,
    responses={
        **_AUTH,
        403: {"description": "Not the event's organizer or an admin"},
        404: {"description": "No such event"},
    },
)
async def read_event_waiting_list(
    event_id: EventId,
    principal: CurrentPrincipal,
    session: SessionDep,
    events: EventsDep,
    state: WaitingListState | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WaitingListPage:
    """Lists an event's waiting list in order of joining (its organizer and admins only)."""
    await waiting_list.check_organizer(session, events, event_id=event_id, principal=principal)
    items, total = await waiting_list.get_all(
        session, user_id=None, event_id=event_id, state=state, limit=limit, offset=offset
    )
    return WaitingListPage(items=items, total=total, limit=limit, offset=offset)
