from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from event_service import catalogue, service
from event_service.deps import EventQueryDep, IfMatchDep, OrganizerDep
from event_service.etags import etag_of, none_match
from event_service.models import Event
from event_service.read_cache import CachedEvent, EventReadCache
from event_service.schemas import EventCreate, EventPage, EventPublic, EventUpdate
from shared.app import answer_validation_error
from shared.errors import add_error_table
from shared.mongo_outbox import OutboxFullError, WakesOutboxRelay

router = APIRouter(prefix="/events", tags=["events"])

_UNAUTHORIZED = {401: {"description": "Missing, invalid or expired token"}}
_NOT_FOUND = {404: {"description": "No event has this id"}}
_WRITE = {
    **_UNAUTHORIZED,
    403: {"description": "Not an organizer or admin, or not the event's owner"},
    **_NOT_FOUND,
    409: {"description": "The event kept changing under this request; retry"},
    412: {"description": "`If-Match` names a version the event is no longer at"},
    503: {
        "description": "The database is unreachable, or the broker has been unreachable so long that the "
        "event holds as many unpublished changes as it may; retry after `Retry-After`"
    },
}

# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    service.EventNotFoundError: status.HTTP_404_NOT_FOUND,
    service.NotEventOwnerError: status.HTTP_403_FORBIDDEN,
    service.EventCancelledError: status.HTTP_409_CONFLICT,
    service.ConcurrentChangeError: status.HTTP_409_CONFLICT,
    service.VersionMismatchError: status.HTTP_412_PRECONDITION_FAILED,
    OutboxFullError: status.HTTP_503_SERVICE_UNAVAILABLE,
    catalogue.TicketTypeNotFoundError: status.HTTP_404_NOT_FOUND,
    catalogue.QuotaNotFoundError: status.HTTP_404_NOT_FOUND,
    catalogue.VoucherNotFoundError: status.HTTP_404_NOT_FOUND,
    catalogue.TicketTypeHasSalesError: status.HTTP_409_CONFLICT,
    catalogue.DefaultTicketTypeError: status.HTTP_409_CONFLICT,
    catalogue.VoucherRedeemedError: status.HTTP_409_CONFLICT,
    catalogue.VoucherCodeTakenError: status.HTTP_409_CONFLICT,
    catalogue.CatalogueFullError: status.HTTP_409_CONFLICT,
}


def _read_cache(request: Request) -> EventReadCache:
    return request.app.state.read_cache


def _changed(event: Event, request: Request, response: Response) -> EventPublic:
    """Answers a write with the event as it now is; this replica's cached view of it is now stale."""
    _read_cache(request).supersede(str(event.id), event.version)
    response.headers["ETag"] = etag_of(event.version)
    return EventPublic.model_validate(event)


class _CachedEventResponse(Response):
    """An event's JSON with the headers encoded along with it: encoding them at each answer costs the
    hottest route ~3 µs."""

    def __init__(self, event: CachedEvent) -> None:
        self._cached_headers = event.headers
        super().__init__(event.body)

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        self.raw_headers = list(self._cached_headers)  # a list of its own: middleware may add to it


# `GET /events/{id}` reads its parameters from the request itself (see `_RequestOnlyRoute`), so they are
# documented here: the id, and `If-None-Match`, whose 422 FastAPI would document for a declared parameter.
_EVENT_ID = {
    "name": "event_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "title": "Event Id"},
}
_VALIDATION_ERROR = {
    "description": "Validation Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
}
_MAX_TAGS_LENGTH = 1000
_IF_NONE_MATCH = {
    "name": "if-none-match",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": _MAX_TAGS_LENGTH},
    "description": 'The `ETag` you hold, e.g. `"3"`: 304 with no body while the event is still at it',
}


def _if_none_match(request: Request) -> str | None:
    header = request.headers.get("if-none-match")
    if header is not None and len(header) > _MAX_TAGS_LENGTH:
        error = {
            "type": "string_too_long",
            "loc": ("header", "if-none-match"),
            "msg": f"String should have at most {_MAX_TAGS_LENGTH} characters",
            "input": header,
            "ctx": {"max_length": _MAX_TAGS_LENGTH},
        }
        raise RequestValidationError([error])
    return header


class _RequestOnlyRoute(APIRoute):
    """A route whose endpoint takes the request alone and makes its answer itself, and so is the route's
    handler (FastAPI's documented way to customize one). FastAPI's own would parse the query, headers
    and cookies to solve dependencies the endpoint has none of: ~17 µs of the hottest route's ~53
    in-process. Its errors are answered as any route's; with spans recorded, the request's is kept and
    only the span of solving those dependencies is not made."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return self.endpoint


async def read_event(request: Request) -> Response:
    """Returns one event, with its version as the `ETag`."""
    event_id: str = request.path_params["event_id"]
    if_none_match = _if_none_match(request)
    cache = _read_cache(request)
    event = cache.get(event_id)
    if event is None:
        epoch = cache.epoch  # before reading, so that a change made meanwhile is heard
        found = await service.get_public(event_id=event_id)
        if found is None:
            raise service.EventNotFoundError
        event = cache.offer(found, epoch)
    if not none_match(if_none_match, event.version):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag_of(event.version)})
    return _CachedEventResponse(event)


# The first route: a request tries the routes in turn (~0.7 µs each), and this is the hottest.
router.add_api_route(
    "/{event_id}",
    read_event,
    methods=["GET"],
    response_model=EventPublic,
    responses={
        304: {"description": "Unchanged since the `If-None-Match` version"},
        **_NOT_FOUND,
        422: _VALIDATION_ERROR,
    },
    openapi_extra={"parameters": [_EVENT_ID, _IF_NONE_MATCH]},
    route_class_override=_RequestOnlyRoute,
)


@router.post(
    "",
    response_model=EventPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WakesOutboxRelay],
    responses={**_UNAUTHORIZED, 403: {"description": "Only organizers and admins create events"}},
)
async def create_event(
    event_in: EventCreate, organizer: OrganizerDep, request: Request, response: Response
) -> EventPublic:
    """Publishes a new event owned by the caller."""
    event = await service.create(event_in=event_in, owner_id=organizer.id)
    response.headers["Location"] = router.url_path_for("read_event", event_id=str(event.id))
    return _changed(event, request, response)


@router.get("", response_model=EventPage)
async def read_events(query: EventQueryDep) -> Response:
    """Lists events by start time, filtered and one page at a time."""
    page = await service.get_all_public(query=query)
    # Written by pydantic at once: FastAPI would check the page again, then write it with `json`.
    return Response(page.model_dump_json(), media_type="application/json")


@router.patch(
    "/{event_id}",
    response_model=EventPublic,
    dependencies=[WakesOutboxRelay],
    responses={
        **_WRITE,
        409: {"description": "The event is cancelled, which is final; or it kept changing: retry"},
    },
)
async def update_event(
    event_id: str,
    changes: EventUpdate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> EventPublic:
    """Changes the fields given and publishes `event.updated` naming them (owner or admin)."""
    event = await service.update(event_id=event_id, changes=changes, actor=actor, if_match=if_match)
    return _changed(event, request, response)


@router.post(
    "/{event_id}/cancel",
    response_model=EventPublic,
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def cancel_event(
    event_id: str, actor: OrganizerDep, if_match: IfMatchDep, request: Request, response: Response
) -> EventPublic:
    """Cancels the event for good, so its bookings are refunded (owner or admin); repeating it is harmless."""
    event = await service.cancel(event_id=event_id, actor=actor, if_match=if_match)
    return _changed(event, request, response)


@router.delete(
    "/{event_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def delete_event(event_id: str, actor: OrganizerDep, if_match: IfMatchDep, request: Request) -> None:
    """Deletes the event; consumers treat it as cancelled (owner or admin)."""
    deleted = await service.delete(event_id=event_id, actor=actor, if_match=if_match)
    _read_cache(request).supersede(event_id, deleted.version)


def add_error_handlers(app: FastAPI) -> None:
    """Answers the domain errors from the table, and a broken cross-field rule as a 422 on the field."""

    async def invalid_event(request: Request, exc: service.InvalidEventError) -> Response:
        error = {"type": "value_error", "loc": ("body", exc.field), "msg": str(exc), "input": exc.value}
        return await answer_validation_error(request, RequestValidationError([error]))

    add_error_table(app, _ERROR_STATUS)
    app.add_exception_handler(service.InvalidEventError, invalid_event)
