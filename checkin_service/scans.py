"""Scans at a check-in list: one verdict per nonce, one `ok` per admission, double entries flagged.

A scan of a known ticket locks its row first, so that two gates scanning it at once take turns and
exactly one of them admits it. Offline scans (a batch, or a scan older than `OFFLINE_AFTER`) were
already acted on at the gate: one that finds the ticket inside is flagged `double_entry`, and the
counts, which count tickets, not scans, stay right.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service import signing, tickets
from checkin_service.errors import InvalidFieldError
from checkin_service.events import validity
from checkin_service.models import Admission, CheckinList, Event, OutboxMessage, Scan, Ticket
from checkin_service.signing import InvalidSecretError, TicketClaims
from checkin_service.tickets import TicketSigner
from shared.messages import CheckinScanned
from shared.outbox import stage_message

# A scan sent this long after it was made is an offline one's, uploaded late.
OFFLINE_AFTER = timedelta(seconds=60)

OK = "ok"
ALREADY_CHECKED_IN = "already_checked_in"
REVOKED = "revoked"
WRONG_EVENT = "wrong_event"
WRONG_TICKET_TYPE = "wrong_ticket_type"
INVALID_SIGNATURE = "invalid_signature"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"


@dataclass(frozen=True)
class ScanRequest:
    secret: str
    direction: str
    nonce: str
    scanned_at: datetime | None


@dataclass(frozen=True)
class Verdict:
    """A recorded scan, the ticket it read (None when unreadable, or of another event), and whether
    it was recorded before (the same nonce sent again)."""

    scan: Scan
    ticket: Ticket | None
    replayed: bool


def _claims(secret: str, signer: TicketSigner) -> TicketClaims | None:
    try:
        return signing.verify(secret, signer.verifying_keys)
    except InvalidSecretError:
        return None


async def _judge(
    session: AsyncSession,
    *,
    signer: TicketSigner,
    checkin_list: CheckinList,
    event: Event,
    ticket: Ticket | None,
    scan: Scan,
) -> None:
    """Sets the scan's result (and flags), and moves the ticket's admission at the list."""
    if ticket is None:
        scan.result = INVALID_SIGNATURE
        return
    valid_from, valid_until = validity(event, before=signer.valid_before, after=signer.valid_after)
    if ticket.event_id != checkin_list.event_id:
        scan.result = WRONG_EVENT
    elif ticket.status != tickets.VALID:
        scan.result = REVOKED
    elif checkin_list.ticket_type_ids and ticket.ticket_type_id not in checkin_list.ticket_type_ids:
        scan.result = WRONG_TICKET_TYPE
    elif scan.scanned_at < valid_from:
        scan.result = NOT_YET_VALID
    elif scan.scanned_at > valid_until:
        scan.result = EXPIRED
    else:
        admission = await session.scalar(
            select(Admission)
            .where(Admission.checkin_list_id == checkin_list.id, Admission.ticket_id == ticket.id)
            .execution_options(populate_existing=True)
        )
        scan.result = OK
        if scan.direction == "exit":
            if admission is not None:
                admission.inside = False
            return
        if admission is None:
            session.add(
                Admission(
                    checkin_list_id=checkin_list.id,
                    ticket_id=ticket.id,
                    ticket_type_id=ticket.ticket_type_id,
                    first_entry_at=scan.scanned_at,
                    entries=1,
                    inside=True,
                    double_entry=False,
                )
            )
            return
        admission.first_entry_at = min(admission.first_entry_at, scan.scanned_at)
        if checkin_list.allow_multiple_entries or (checkin_list.allow_reentry and not admission.inside):
            admission.entries += 1
            admission.inside = True
            return
        scan.result = ALREADY_CHECKED_IN
        scan.first_entry_at = admission.first_entry_at
        if scan.offline:  # the gate admitted it already: flag it, count it once
            scan.double_entry = admission.double_entry = True


async def _recorded(session: AsyncSession, checkin_list_id: uuid.UUID, nonce: str) -> Verdict | None:
    scan = await session.scalar(
        select(Scan).where(Scan.checkin_list_id == checkin_list_id, Scan.nonce == nonce)
    )
    if scan is None:
        return None
    ticket = await session.get(Ticket, scan.ticket_id) if scan.ticket_id is not None else None
    return Verdict(scan=scan, ticket=ticket if scan.result != WRONG_EVENT else None, replayed=True)


async def record(
    session: AsyncSession,
    *,
    signer: TicketSigner,
    checkin_list: CheckinList,
    event: Event,
    request: ScanRequest,
    offline: bool,
    now: datetime,
) -> Verdict:
    """Judges and records one scan; the same nonce again answers the recorded verdict."""
    scanned_at = request.scanned_at or now
    claims = _claims(request.secret, signer)
    try:
        async with session.begin():
            ticket = None
            if claims is not None:
                ticket = await session.scalar(
                    select(Ticket)
                    .where(Ticket.id == claims.ticket_id)
                    .with_for_update()
                    .execution_options(populate_existing=True)
                )
            # Read after the lock: a concurrent scan of the same nonce has committed by now.
            if (replay := await _recorded(session, checkin_list.id, request.nonce)) is not None:
                return replay
            scan = Scan(
                id=uuid.uuid4(),
                checkin_list_id=checkin_list.id,
                nonce=request.nonce,
                ticket_id=ticket.id if ticket is not None else None,
                direction=request.direction,
                scanned_at=scanned_at,
                received_at=now,
                offline=offline or now - scanned_at > OFFLINE_AFTER,
                double_entry=False,
                first_entry_at=None,
            )
            await _judge(
                session, signer=signer, checkin_list=checkin_list, event=event, ticket=ticket, scan=scan
            )
            session.add(scan)
            shown = ticket if scan.result != WRONG_EVENT else None
            stage_message(session, OutboxMessage, _scanned(scan, checkin_list, event, shown))
    except IntegrityError:  # the same nonce, recorded meanwhile by a scan of an unreadable secret
        async with session.begin():
            replay = await _recorded(session, checkin_list.id, request.nonce)
        if replay is None:
            raise
        return replay
    return Verdict(scan=scan, ticket=shown, replayed=False)


def _scanned(scan: Scan, checkin_list: CheckinList, event: Event, ticket: Ticket | None) -> CheckinScanned:
    return CheckinScanned(
        scan_id=str(scan.id),
        checkin_list_id=str(checkin_list.id),
        event_id=checkin_list.event_id,
        event_owner_id=event.owner_id,
        ticket_id=str(ticket.id) if ticket is not None else None,
        ticket_type_id=ticket.ticket_type_id if ticket is not None else None,
        attendee_name=ticket.attendee_name if ticket is not None else None,
        direction=scan.direction,  # type: ignore[arg-type]
        result=scan.result,
        scanned_at=scan.scanned_at,
        offline=scan.offline,
        double_entry=scan.double_entry,
    )


def _check_clock(requests: Sequence[ScanRequest], now: datetime, skew: timedelta, field: str) -> None:
    for index, request in enumerate(requests):
        if request.scanned_at is not None and request.scanned_at > now + skew:
            where = f"{field}[{index}].scanned_at" if field else "scanned_at"
            raise InvalidFieldError(
                f"{where} lies in the future (beyond the allowed clock skew)", field=where
            )


async def record_all(
    session: AsyncSession,
    *,
    signer: TicketSigner,
    checkin_list: CheckinList,
    event: Event,
    requests: Sequence[ScanRequest],
    batch: bool,
    skew: timedelta,
) -> list[Verdict]:
    """Records scans in the order they were made (a batch's are offline); answers in the order sent."""
    now = datetime.now(UTC)
    _check_clock(requests, now, skew, "scans" if batch else "")
    order = sorted(range(len(requests)), key=lambda index: requests[index].scanned_at or now)
    verdicts: dict[int, Verdict] = {}
    for index in order:
        verdicts[index] = await record(
            session,
            signer=signer,
            checkin_list=checkin_list,
            event=event,
            request=requests[index],
            offline=batch,
            now=now,
        )
    return [verdicts[index] for index in range(len(requests))]
