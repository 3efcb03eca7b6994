"""Routes of an event's ticket types, quotas and vouchers; each write is a new version of the event."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from event_service import catalogue
from event_service.catalogue_schemas import (
    QuotaCreate,
    QuotaPublic,
    QuotaUpdate,
    TicketTypeCreate,
    TicketTypeUpdate,
    VoucherCreate,
    VoucherPage,
    VoucherPublic,
    VoucherUpdate,
)
from event_service.deps import IfMatchDep, OrganizerDep, ViewerDep, VoucherQueryDep
from event_service.etags import etag_of
from event_service.models import Event, Voucher
from event_service.schemas import TicketTypePublic, displayed
from shared.mongo_outbox import WakesOutboxRelay

router = APIRouter(prefix="/events/{event_id}")

TicketTypeIdPath = Annotated[
    str, Path(max_length=100, description="The type's id; the default type's is the event's id")
]
QuotaIdPath = Annotated[str, Path(max_length=100)]
CodePath = Annotated[str, Path(max_length=100, description="The voucher's code, in any case")]

_UNAUTHORIZED = {401: {"description": "Missing, invalid or expired token"}}
_WRITE = {
    **_UNAUTHORIZED,
    403: {"description": "Not an organizer or admin, or not the event's owner"},
    404: {"description": "No event has this id, or the event has no such item"},
    409: {
        "description": "The event is cancelled, the event is full of such items, or it kept changing: retry"
    },
    412: {"description": "`If-Match` names a version the event is no longer at"},
    422: {"description": "A field breaks a rule; `detail[].loc` names it"},
    503: {"description": "The database or the broker is unreachable; retry after `Retry-After`"},
}
_DELETE_TYPE = {
    **_WRITE,
    409: {
        "description": "The type has sales (hide it or end its sales instead), is the default type, or the "
        "event is cancelled"
    },
}
_DELETE_VOUCHER = {
    **_WRITE,
    409: {"description": "The voucher has been redeemed (disable it instead), or the event is cancelled"},
}
_CREATE_VOUCHER = {**_WRITE, 409: {"description": "The code is taken, or the event has 1000 vouchers"}}


def _written(event: Event, request: Request, response: Response | None = None) -> None:
    """The event has a new version: this replica's cached view of it is stale, and the ETag is new."""
    request.app.state.read_cache.supersede(str(event.id), event.version)
    if response is not None:
        response.headers["ETag"] = etag_of(event.version)


def _voucher(event: Event, voucher: Voucher) -> VoucherPublic:
    public = VoucherPublic.model_validate(voucher)
    public.redeemed = voucher.code in event.redeemed_voucher_codes
    return public


# Ticket types


@router.get(
    "/ticket-types",
    response_model=list[TicketTypePublic],
    tags=["ticket types"],
    responses={404: {"description": "No event has this id"}},
)
async def read_ticket_types(event_id: str, viewer: ViewerDep) -> list[TicketTypePublic]:
    """Lists the event's ticket types by position, then name; hidden ones only to its owner or an admin.

    At most 50, so the list is whole and needs no pages.
    """
    ticket_types = await catalogue.get_ticket_types(event_id=event_id, viewer=viewer)
    return [TicketTypePublic.model_validate(ticket_type) for ticket_type in displayed(ticket_types)]


@router.post(
    "/ticket-types",
    response_model=TicketTypePublic,
    status_code=status.HTTP_201_CREATED,
    tags=["ticket types"],
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def create_ticket_type(
    event_id: str,
    type_in: TicketTypeCreate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> TicketTypePublic:
    """Adds a kind of ticket (owner or admin); publishes `event.updated` with `changed: ["ticket_types"]`."""
    event, ticket_type = await catalogue.create_ticket_type(
        event_id=event_id, type_in=type_in, actor=actor, if_match=if_match
    )
    _written(event, request, response)
    return TicketTypePublic.model_validate(ticket_type)


@router.patch(
    "/ticket-types/{ticket_type_id}",
    response_model=TicketTypePublic,
    tags=["ticket types"],
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def update_ticket_type(
    event_id: str,
    ticket_type_id: TicketTypeIdPath,
    changes: TicketTypeUpdate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> TicketTypePublic:
    """Changes the fields given (owner or admin). The default type's price is the event's price too."""
    event, ticket_type = await catalogue.update_ticket_type(
        event_id=event_id, ticket_type_id=ticket_type_id, changes=changes, actor=actor, if_match=if_match
    )
    _written(event, request, response)
    return TicketTypePublic.model_validate(ticket_type)


@router.delete(
    "/ticket-types/{ticket_type_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["ticket types"],
    dependencies=[WakesOutboxRelay],
    responses=_DELETE_TYPE,
)
async def delete_ticket_type(
    event_id: str,
    ticket_type_id: TicketTypeIdPath,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
) -> None:
    """Deletes a type that has no sales (owner or admin), and takes it out of quotas and vouchers."""
    event = await catalogue.delete_ticket_type(
        event_id=event_id, ticket_type_id=ticket_type_id, actor=actor, if_match=if_match
    )
    _written(event, request)


# Quotas


@router.get(
    "/quotas",
    response_model=list[QuotaPublic],
    tags=["quotas"],
    responses={404: {"description": "No event has this id"}},
)
async def read_quotas(event_id: str) -> list[QuotaPublic]:
    """Lists the event's quotas, oldest first; at most 50, so the list is whole.

    The event's `capacity` is the quota over all its types and is not listed.
    """
    return [QuotaPublic.model_validate(quota) for quota in await catalogue.get_quotas(event_id=event_id)]


@router.post(
    "/quotas",
    response_model=QuotaPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["quotas"],
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def create_quota(
    event_id: str,
    quota_in: QuotaCreate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> QuotaPublic:
    """Makes some types share `size` seats (owner or admin); publishes `event.updated` (`quotas`)."""
    event, quota = await catalogue.create_quota(
        event_id=event_id, quota_in=quota_in, actor=actor, if_match=if_match
    )
    _written(event, request, response)
    return QuotaPublic.model_validate(quota)


@router.patch(
    "/quotas/{quota_id}",
    response_model=QuotaPublic,
    tags=["quotas"],
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def update_quota(
    event_id: str,
    quota_id: QuotaIdPath,
    changes: QuotaUpdate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> QuotaPublic:
    """Changes the fields given (owner or admin)."""
    event, quota = await catalogue.update_quota(
        event_id=event_id, quota_id=quota_id, changes=changes, actor=actor, if_match=if_match
    )
    _written(event, request, response)
    return QuotaPublic.model_validate(quota)


@router.delete(
    "/quotas/{quota_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["quotas"],
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def delete_quota(
    event_id: str, quota_id: QuotaIdPath, actor: OrganizerDep, if_match: IfMatchDep, request: Request
) -> None:
    """Deletes a quota (owner or admin)."""
    event = await catalogue.delete_quota(event_id=event_id, quota_id=quota_id, actor=actor, if_match=if_match)
    _written(event, request)


# Vouchers


@router.get(
    "/vouchers",
    response_model=VoucherPage,
    tags=["vouchers"],
    responses={
        **_UNAUTHORIZED,
        403: {"description": "Not the event's owner or an admin"},
        404: {"description": "No event has this id"},
    },
)
async def read_vouchers(event_id: str, viewer: OrganizerDep, query: VoucherQueryDep) -> VoucherPage:
    """Lists the event's vouchers, oldest first, one page at a time (owner or admin only)."""
    event, vouchers = await catalogue.get_vouchers(event_id=event_id, viewer=viewer, query=query)
    return VoucherPage(
        items=[_voucher(event, voucher) for voucher in vouchers],
        total=len(event.vouchers),
        limit=query.limit,
        offset=query.offset,
    )


@router.post(
    "/vouchers",
    response_model=VoucherPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["vouchers"],
    dependencies=[WakesOutboxRelay],
    responses=_CREATE_VOUCHER,
)
async def create_voucher(
    event_id: str,
    voucher_in: VoucherCreate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> VoucherPublic:
    """Adds a promo code (owner or admin); publishes `event.updated` (`vouchers`).

    Its uses are counted by the booking service against `max_usages`.
    """
    event, voucher = await catalogue.create_voucher(
        event_id=event_id, voucher_in=voucher_in, actor=actor, if_match=if_match
    )
    _written(event, request, response)
    return _voucher(event, voucher)


@router.patch(
    "/vouchers/{code}",
    response_model=VoucherPublic,
    tags=["vouchers"],
    dependencies=[WakesOutboxRelay],
    responses=_WRITE,
)
async def update_voucher(
    event_id: str,
    code: CodePath,
    changes: VoucherUpdate,
    actor: OrganizerDep,
    if_match: IfMatchDep,
    request: Request,
    response: Response,
) -> VoucherPublic:
    """Changes the fields given (owner or admin); `{"disabled": true}` retires a redeemed voucher."""
    event, voucher = await catalogue.update_voucher(
        event_id=event_id, code=code, changes=changes, actor=actor, if_match=if_match
    )
    _written(event, request, response)
    return _voucher(event, voucher)


@router.delete(
    "/vouchers/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["vouchers"],
    dependencies=[WakesOutboxRelay],
    responses=_DELETE_VOUCHER,
)
async def delete_voucher(
    event_id: str, code: CodePath, actor: OrganizerDep, if_match: IfMatchDep, request: Request
) -> None:
    """Deletes a voucher never redeemed (owner or admin); the code matches whatever its case."""
    event = await catalogue.delete_voucher(event_id=event_id, code=code, actor=actor, if_match=if_match)
    _written(event, request)
