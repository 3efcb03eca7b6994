from typing import Annotated

from fastapi import Depends, Header, Query

from event_service.etags import versions_in_if_match
from event_service.schemas import EventQuery
from event_service.service import Versions
from shared.auth import Principal, require_roles

# Attendees and service identities may read events, never write them.
OrganizerDep = Annotated[Principal, Depends(require_roles("organizer"))]
EventQueryDep = Annotated[EventQuery, Query()]


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
