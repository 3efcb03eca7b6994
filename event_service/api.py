from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from event_service import service
from event_service.deps import IfMatchDep, OrganizerDep, wake_outbox_relay
from event_service.etags import etag_of, none_match
from event_service.models import Event
from event_service.schemas import EventCreate, EventListQuery, EventPage, EventPublic, EventUpdate

router = APIRouter(prefix="/events", tags=["events"])

_UNAUTHORIZED = {401: {"description": "Missing, invalid or expired token"}}
_NOT_FOUND = {404: {"description": "No event has this id"}}
_WRITE = {
    **_UNAUTHORIZED,
    403: {"description": "Not an organizer or admin, or not the event's owner"},
    **_NOT_FOUND,
    409: {"description": "The event kept changing under this request; retry"},
    412: {"description": "`If-Match` names a version the event is no longer at"},
}

# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    service.EventNotFoundError: status.HTTP_404_NOT_FOUND,
    service.NotEventOwnerError: status.HTTP_403_FORBIDDEN,
    service.EventCancelledError: status.HTTP_409_CONFLICT,
    service.ConcurrentChangeError: status.HTTP_409_CONFLICT,
    service.VersionMismatchError: status.HTTP_412_PRECONDITION_FAILED,
}


def _public(event: Event, response: Response) -> EventPublic:
    response.headers["ETag"] = etag_of(event.version)
    return EventPublic.model_validate(event)


@router.post(
    "",
    response_model=EventPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(wake_outbox_relay)],
    responses={**_UNAUTHORIZED, 403: {"description": "Only organizers and admins create events"}},
)
async def create_event(event_in: EventCreate, organizer: OrganizerDep, response: Response) -> EventPublic:
    """Publishes a new event owned by the caller."""
    event = await service.create(event_in=event_in, owner_id=organizer.id)
    response.headers["Location"] = router.url_path_for("read_event", event_id=str(event.id))
    return _public(event, response)


@router.get("", response_model=EventPage)
async def read_events(query: Annotated[EventListQuery, Query()]) -> EventPage:
    """Lists events by start time, filtered and one page at a time."""
    events, total = await service.get_all(query=query)
    return EventPage(
        items=[EventPublic.model_validate(event) for event in events],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@router.get(
    "/{event_id}",
    response_model=EventPublic,
    responses={304: {"description": "Unchanged since the `If-None-Match` version"}, **_NOT_FOUND},
)
async def read_event(
    event_id: str,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
) -> EventPublic | Response:
    """Returns one event, with its version as the `ETag`."""
    event = await service.get(event_id=event_id)
    if event is None:
        raise service.EventNotFoundError
    if not none_match(if_none_match, event.version):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag_of(event.version)})
    return _public(event, response)


@router.patch(
    "/{event_id}",
    response_model=EventPublic,
    dependencies=[Depends(wake_outbox_relay)],
    responses={
        **_WRITE,
        409: {"description": "The event is cancelled, which is final; or it kept changing: retry"},
    },
)
async def update_event(
    event_id: str, changes: EventUpdate, actor: OrganizerDep, if_match: IfMatchDep, response: Response
) -> EventPublic:
    """Changes the fields given and publishes `event.updated` naming them (owner or admin)."""
    event = await service.update(event_id=event_id, changes=changes, actor=actor, if_match=if_match)
    return _public(event, response)


@router.post(
    "/{event_id}/cancel",
    response_model=EventPublic,
    dependencies=[Depends(wake_outbox_relay)],
    responses=_WRITE,
)
async def cancel_event(
    event_id: str, actor: OrganizerDep, if_match: IfMatchDep, response: Response
) -> EventPublic:
    """Cancels the event for good, so its bookings are refunded (owner or admin); repeating it is harmless."""
    event = await service.cancel(event_id=event_id, actor=actor, if_match=if_match)
    return _public(event, response)


@router.delete(
    "/{event_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    dependencies=[Depends(wake_outbox_relay)],
    responses=_WRITE,
)
async def delete_event(event_id: str, actor: OrganizerDep, if_match: IfMatchDep) -> None:
    """Deletes the event; consumers treat it as cancelled (owner or admin)."""
    await service.delete(event_id=event_id, actor=actor, if_match=if_match)


def add_error_handlers(app: FastAPI) -> None:
    """Answers the domain errors with their status, and a broken cross-field rule as a 422 on the field."""

    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=_ERROR_STATUS[type(exc)])

    async def invalid_event(request: Request, exc: service.InvalidEventError) -> JSONResponse:
        error = {"type": "value_error", "loc": ["body", exc.field], "msg": str(exc), "input": exc.value}
        return JSONResponse({"detail": jsonable_encoder([error])}, status_code=422)

    for error in _ERROR_STATUS:
        app.add_exception_handler(error, domain_error)
    app.add_exception_handler(service.InvalidEventError, invalid_event)
