from typing import Annotated

from fastapi import Depends, Header, Query, Request

from event_service.catalogue_schemas import VoucherQuery
from event_service.etags import versions_in_if_match
from event_service.schemas import EventQuery
from event_service.service import Versions
from shared.auth import Principal, get_principal, oauth2_scheme, require_roles

# Attendees and service identities may read events, never write them.
OrganizerDep = Annotated[Principal, Depends(require_roles("organizer"))]
EventQueryDep = Annotated[EventQuery, Query()]
VoucherQueryDep = Annotated[VoucherQuery, Query()]


async def optional_principal(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal | None:
    """Returns the verified caller, or None for an anonymous one; a bad token is still a 401."""
    return None if not token else await get_principal(request, token)


ViewerDep = Annotated[Principal | None, Depends(optional_principal)]


def read_if_match(
    if_match: Annotated[
        str | None,
        Header(
            max_length=1000,
            description='The `ETag` you last read, e.g. `"3"`: the change applies only if the event is '
            "still at that version (412 otherwise), so two editors never overwrite each other",
        ),
    ] = None,
) -> Versions:
    return versions_in_if_match(if_match)


IfMatchDep = Annotated[Versions, Depends(read_if_match)]
