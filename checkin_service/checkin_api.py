"""Routes of check-in lists: making them, their reports and attendees, and scanning at them."""

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from checkin_service import lists, scans
from checkin_service.api import AUTH, FORBIDDEN, PathId
from checkin_service.checkin_schemas import (
    AttendeePage,
    AttendeePublic,
    CheckinListCreate,
    CheckinListPage,
    CheckinListPublic,
    CheckinListReport,
    ScanBatch,
    ScanBatchResult,
    ScanBody,
    ScanPublic,
    ScanResult,
    ScanTicket,
    TypeCountPublic,
)
from checkin_service.deps import SessionDep, SettingsDep, SignerDep
from checkin_service.lists import Attendee
from shared.auth import CurrentPrincipal

router = APIRouter(tags=["check-in"])

_LIST_NOT_FOUND = {404: {"description": "No such check-in list"}}
CSV_COLUMNS = [
    "ticket_id",
    "booking_id",
    "ticket_type_id",
    "attendee_name",
    "status",
    "checked_in_at",
    "inside",
    "double_entry",
]


@router.post(
    "/events/{event_id}/checkin-lists",
    response_model=CheckinListPublic,
    status_code=201,
    responses={
        **AUTH,
        **FORBIDDEN,
        404: {"description": "No such event known to the check-in service"},
        409: {"description": "The event has all the lists it may"},
        422: {"description": "Invalid body, or a ticket type not of the event (`field`: ticket_type_ids)"},
    },
)
async def create_checkin_list(
    event_id: PathId, list_in: CheckinListCreate, principal: CurrentPrincipal, session: SessionDep
) -> CheckinListPublic:
    """Adds a check-in list to the event (organizer, admin): which ticket types it admits (all when
    empty), and whether a ticket may enter more than once, or again after an exit."""
    made = await lists.create(
        session,
        event_id=event_id,
        principal=principal,
        name=list_in.name,
        ticket_type_ids=list_in.ticket_type_ids,
        allow_multiple_entries=list_in.allow_multiple_entries,
        allow_reentry=list_in.allow_reentry,
    )
    return CheckinListPublic.model_validate(made)


@router.get(
    "/events/{event_id}/checkin-lists",
    response_model=CheckinListPage,
    responses={**AUTH, **FORBIDDEN, 404: {"description": "No such event known to the check-in service"}},
)
async def read_checkin_lists(
    event_id: PathId,
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> CheckinListPage:
    """Lists the event's check-in lists, oldest first (organizer, admin, and its door staff, who
    pick the one they scan at)."""
    found, total = await lists.get_all(
        session, event_id=event_id, principal=principal, limit=limit, offset=offset
    )
    return CheckinListPage(
        items=[CheckinListPublic.model_validate(one) for one in found],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/checkin-lists/{checkin_list_id}",
    response_model=CheckinListReport,
    responses={**AUTH, **FORBIDDEN, **_LIST_NOT_FOUND},
)
async def read_checkin_list(
    checkin_list_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> CheckinListReport:
    """A list with its counts per ticket type (checked in, inside now, total valid) and the double
    entries offline scanners made (organizer, admin, door staff)."""
    checkin_list, event = await lists.get(session, checkin_list_id=checkin_list_id, principal=principal)
    report = await lists.report(session, checkin_list=checkin_list, event=event)
    return CheckinListReport(
        **CheckinListPublic.model_validate(checkin_list).model_dump(),
        counts=[TypeCountPublic.model_validate(count) for count in report.counts],
        double_entries=[ScanPublic.model_validate(scan) for scan in report.double_entries],
        double_entry_count=report.double_entry_count,
    )


def _attendee(row: Attendee) -> AttendeePublic:
    return AttendeePublic(
        ticket_id=row.ticket.id,
        booking_id=row.ticket.booking_id,
        ticket_type_id=row.ticket.ticket_type_id,
        attendee_name=row.ticket.attendee_name,
        status=row.ticket.status,
        checked_in_at=row.admission.first_entry_at if row.admission else None,
        inside=bool(row.admission and row.admission.inside),
        double_entry=bool(row.admission and row.admission.double_entry),
    )


def _csv_line(values: list[object]) -> str:
    line = io.StringIO()
    csv.writer(line).writerow(values)
    return line.getvalue()


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    # A name starting with = + - @ would be a formula to a spreadsheet that opens the file.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get(
    "/checkin-lists/{checkin_list_id}/attendees",
    response_model=AttendeePage,
    responses={
        **AUTH,
        **FORBIDDEN,
        **_LIST_NOT_FOUND,
        200: {"content": {"text/csv": {}}, "description": "A page as JSON, or every row as CSV"},
    },
)
async def read_attendees(
    checkin_list_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    format: Literal["json", "csv"] = "json",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AttendeePage | Response:
    """The list's tickets and where each stands (checked in when, inside now, double entry): a page of
    JSON, or with `format=csv` every row (up to the service's EXPORT_MAX_ROWS) as a CSV download."""
    checkin_list, _ = await lists.get(session, checkin_list_id=checkin_list_id, principal=principal)
    if format == "json":
        rows, total = await lists.attendees(session, checkin_list=checkin_list, limit=limit, offset=offset)
        return AttendeePage(items=[_attendee(row) for row in rows], total=total, limit=limit, offset=offset)

    async def lines() -> AsyncIterator[str]:
        yield _csv_line(CSV_COLUMNS)
        async for row in lists.stream_attendees(
            session, checkin_list=checkin_list, limit=settings.export_max_rows
        ):
            values = _attendee(row).model_dump(mode="json")
            yield _csv_line([_csv_cell(values[column]) for column in CSV_COLUMNS])

    filename = f"attendees-{checkin_list.id}.csv"
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _result(verdict: scans.Verdict) -> ScanResult:
    return ScanResult(
        result=verdict.scan.result,  # type: ignore[arg-type]
        ticket=ScanTicket.model_validate(verdict.ticket) if verdict.ticket is not None else None,
        scan=ScanPublic.model_validate(verdict.scan),
        checked_in_at=verdict.scan.first_entry_at,
        double_entry=verdict.scan.double_entry,
        replayed=verdict.replayed,
    )


@router.post(
    "/checkin-lists/{checkin_list_id}/scans",
    response_model=ScanResult | ScanBatchResult,
    responses={
        **AUTH,
        403: {"description": "Not the event's organizer, an admin, or its door staff"},
        **_LIST_NOT_FOUND,
        422: {"description": "Invalid body (`detail` names each field), or a `scanned_at` in the future"},
    },
)
async def create_scan(
    checkin_list_id: uuid.UUID,
    scan_in: ScanBody,
    principal: CurrentPrincipal,
    session: SessionDep,
    signer: SignerDep,
    settings: SettingsDep,
) -> ScanResult | ScanBatchResult:
    """Scans a ticket's secret at the list (organizer, admin, door staff): the verdict is the answer's
    `result`, always 200. The same `nonce` again answers the same verdict and records nothing. With
    `{"scans": [...]}` (up to 500, each with its `scanned_at`) an offline scanner uploads what it
    scanned: merged in time order; a ticket it let in while already inside is flagged `double_entry`."""
    checkin_list, event = await lists.get(session, checkin_list_id=checkin_list_id, principal=principal)
    await session.commit()  # what the scans read from here on, each in a transaction of its own
    session.expunge_all()
    batch = isinstance(scan_in, ScanBatch)
    requests = [
        scans.ScanRequest(secret=one.secret, direction=one.type, nonce=one.nonce, scanned_at=one.scanned_at)
        for one in (scan_in.scans if isinstance(scan_in, ScanBatch) else [scan_in])
    ]
    verdicts = await scans.record_all(
        session,
        signer=signer,
        checkin_list=checkin_list,
        event=event,
        requests=requests,
        batch=batch,
        skew=timedelta(seconds=settings.scan_clock_skew_seconds),
    )
    if batch:
        return ScanBatchResult(results=[_result(verdict) for verdict in verdicts])
    return _result(verdicts[0])
