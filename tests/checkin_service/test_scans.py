"""Scans at the door: every verdict, one scan per nonce, one `ok` per ticket, offline uploads."""

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from shared.messages import EventCancelled
from shared.messaging import Broker
from tests.accounts import Account
from tests.checkin_service.conftest import Stage, gather_scans, publish
from tests.checkin_service.facts import VIP, booking_cancelled, now
from tests.conftest import MessageTap, wait_for

Buy = Callable[..., Awaitable[tuple[Any, list[dict[str, Any]]]]]


async def test_an_entry_is_ok_once_then_already_checked_in_with_when(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    scanned = await tap_messages("checkin.scanned")
    stage = await make_stage()
    booker = await make_account()
    _, tickets = await buy(stage.event, booker, [(VIP, 1)], attendee_names=["Ada Lovelace"])
    secret = tickets[0]["secret"]

    first = await stage.scan(checkin, secret, nonce="n-1")
    assert first["result"] == "ok"
    assert first["ticket"]["attendee_name"] == "Ada Lovelace"
    assert first["ticket"]["ticket_type_id"] == VIP
    assert first["scan"]["type"] == "entry" and first["replayed"] is False
    second = await stage.scan(checkin, secret, nonce="n-2")
    assert second["result"] == "already_checked_in"
    assert second["checked_in_at"] == first["scan"]["scanned_at"]
    assert second["double_entry"] is False  # refused at the gate: nobody got in twice

    messages = await scanned.wait_for_type("checkin.scanned", 2)
    assert [message["data"]["result"] for message in messages] == ["ok", "already_checked_in"]
    assert messages[0]["data"]["event_owner_id"] == stage.organizer.id
    assert messages[0]["data"]["ticket_id"] == tickets[0]["id"]


async def test_the_same_nonce_again_answers_the_same_verdict_and_records_one_scan(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    buy: Buy,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    scanned = await tap_messages("checkin.scanned")
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])

    first = await stage.scan(checkin, tickets[0]["secret"], nonce="retried")
    again = await stage.scan(checkin, tickets[0]["secret"], nonce="retried")
    assert first["result"] == again["result"] == "ok"
    assert again["scan"] == first["scan"]
    assert again["replayed"] is True
    # Also for a secret that does not verify.
    bad = [await stage.scan(checkin, "GARBAGE", nonce="garbage") for _ in range(2)]
    assert bad[0]["scan"] == bad[1]["scan"] and bad[1]["replayed"] is True
    # One message per recorded scan: two, whatever the retries. A third scan marks the end.
    marker = await stage.scan(checkin, tickets[0]["secret"], nonce="marker")
    messages = await scanned.wait_for_type("checkin.scanned", 3)
    assert [message["data"]["scan_id"] for message in messages] == [
        first["scan"]["id"],
        bad[0]["scan"]["id"],
        marker["scan"]["id"],
    ]
    report = await stage.report(checkin)
    assert [count["checked_in"] for count in report["counts"] if count["ticket_type_id"] == VIP] == [1]


async def test_the_same_nonce_sent_at_once_records_one_scan(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
    answers = await asyncio.gather(
        *(stage.scan(checkin, tickets[0]["secret"], nonce="twin") for _ in range(5))
    )
    assert {answer["scan"]["id"] for answer in answers} == {answers[0]["scan"]["id"]}
    assert {answer["result"] for answer in answers} == {"ok"}
    assert sorted(answer["replayed"] for answer in answers) == [False, True, True, True, True]


async def test_two_gates_scanning_one_ticket_at_once_admit_it_once(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
    answers = await gather_scans(checkin, stage, tickets[0]["secret"], 8)
    results = sorted(answer["result"] for answer in answers)
    assert results == ["already_checked_in"] * 7 + ["ok"]
    report = await stage.report(checkin)
    vip = next(count for count in report["counts"] if count["ticket_type_id"] == VIP)
    assert (vip["checked_in"], vip["inside_now"]) == (1, 1)


async def test_every_refusal_has_its_verdict(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    buy: Buy,
    producer: Broker,
) -> None:
    stage = await make_stage(list_fields={"ticket_type_ids": [VIP]})
    other = await make_stage()
    booking, tickets = await buy(stage.event, stage.organizer, [(VIP, 1), (stage.event.event_id, 1)])
    _, elsewhere = await buy(other.event, other.organizer, [(VIP, 1)])
    upcoming = await make_stage(starts_in=timedelta(days=2))
    _, early = await buy(upcoming.event, upcoming.organizer, [(VIP, 1)])
    past = await make_stage(starts_in=timedelta(hours=-10))
    _, late = await buy(past.event, past.organizer, [(VIP, 1)])

    answer = await stage.scan(checkin, elsewhere[0]["secret"], nonce="wrong-event")
    assert (answer["result"], answer["ticket"]) == ("wrong_event", None)
    answer = await stage.scan(checkin, tickets[1]["secret"], nonce="wrong-type")
    assert answer["result"] == "wrong_ticket_type"
    assert answer["ticket"]["ticket_type_id"] == stage.event.event_id
    assert (await stage.scan(checkin, "AAAA", nonce="unreadable"))["result"] == "invalid_signature"
    assert (await upcoming.scan(checkin, early[0]["secret"], nonce="early"))["result"] == "not_yet_valid"
    assert (await past.scan(checkin, late[0]["secret"], nonce="late"))["result"] == "expired"
    # The scanner's own time counts: scanned while it was valid, uploaded now.
    while_valid = (now() - timedelta(hours=5)).isoformat()
    answer = await past.scan(checkin, late[0]["secret"], nonce="late-offline", scanned_at=while_valid)
    assert answer["result"] == "ok" and answer["scan"]["offline"] is True

    await publish(producer, booking_cancelled(booking))

    async def revoked() -> bool:
        answer = await stage.scan(checkin, tickets[0]["secret"], nonce=f"revoked-{now().timestamp()}")
        return answer["result"] == "revoked"

    await wait_for(revoked)
    cancelled = EventCancelled(**{**other.event.model_dump(), "status": "cancelled", "version": 2})
    await publish(producer, cancelled)

    async def event_gone() -> bool:
        answer = await other.scan(checkin, elsewhere[0]["secret"], nonce=f"gone-{now().timestamp()}")
        return answer["result"] == "revoked"

    await wait_for(event_gone)


async def test_an_exit_lets_a_ticket_back_in_only_where_reentry_is_allowed(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    strict = await make_stage()
    reentry = await make_stage(list_fields={"allow_reentry": True})
    festival = await make_stage(list_fields={"allow_multiple_entries": True})
    for stage, results in (
        (strict, ["ok", "ok", "already_checked_in"]),
        (reentry, ["ok", "ok", "ok"]),
        (festival, ["ok", "ok", "ok"]),
    ):
        _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
        secret = tickets[0]["secret"]
        got = [
            (await stage.scan(checkin, secret, nonce="in"))["result"],
            (await stage.scan(checkin, secret, nonce="out", type="exit"))["result"],
            (await stage.scan(checkin, secret, nonce="in-again"))["result"],
        ]
        assert got == results


async def test_counts_per_ticket_type_match_the_scans(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
) -> None:
    stage = await make_stage(list_fields={"allow_reentry": True})
    standard = stage.event.event_id
    booking, tickets = await buy(stage.event, await make_account(), [(standard, 3), (VIP, 2)])
    await stage.scan(checkin, tickets[0]["secret"], nonce="a-in")
    await stage.scan(checkin, tickets[1]["secret"], nonce="b-in")
    await stage.scan(checkin, tickets[1]["secret"], nonce="b-out", type="exit")
    await stage.scan(checkin, tickets[3]["secret"], nonce="c-in")
    await stage.scan(checkin, tickets[3]["secret"], nonce="c-in-twice")  # refused: inside already
    await stage.scan(checkin, tickets[4]["secret"], nonce="d-out", type="exit")  # never came in

    report = await stage.report(checkin)
    counts = {count["ticket_type_id"]: count for count in report["counts"]}
    assert {key: counts[standard][key] for key in ("checked_in", "inside_now", "total_valid")} == {
        "checked_in": 2,
        "inside_now": 1,
        "total_valid": 3,
    }
    assert {key: counts[VIP][key] for key in ("checked_in", "inside_now", "total_valid")} == {
        "checked_in": 1,
        "inside_now": 1,
        "total_valid": 2,
    }
    assert counts[VIP]["name"] == "VIP"

    page = await checkin.get(
        f"/checkin-lists/{stage.list_id}/attendees", params={"limit": 2}, headers=stage.organizer.headers
    )
    assert page.status_code == 200
    assert page.json()["total"] == 5 and len(page.json()["items"]) == 2
    exported = await checkin.get(
        f"/checkin-lists/{stage.list_id}/attendees", params={"format": "csv"}, headers=stage.organizer.headers
    )
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 5
    by_ticket = {row["ticket_id"]: row for row in rows}
    assert by_ticket[tickets[0]["id"]]["inside"] == "true"
    assert by_ticket[tickets[1]["id"]]["inside"] == "false" and by_ticket[tickets[1]["id"]]["checked_in_at"]
    assert by_ticket[tickets[2]["id"]]["checked_in_at"] == ""
    assert {row["booking_id"] for row in rows} == {booking.booking_id}


async def test_an_offline_batch_merges_in_time_order_and_flags_a_double_entry(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    buy: Buy,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    scanned = await tap_messages("checkin.scanned")
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 2)])
    one, two = tickets[0]["secret"], tickets[1]["secret"]
    start = now() - timedelta(minutes=30)

    def at(minutes: int) -> str:
        return (start + timedelta(minutes=minutes)).isoformat()

    # Two gates were offline: gate B let ticket one in at minute 5, gate A at minute 2; gate A sent
    # its scans first, in no particular order.
    scans = [
        {"secret": one, "type": "entry", "nonce": "B-1", "scanned_at": at(5)},
        {"secret": two, "type": "entry", "nonce": "A-2", "scanned_at": at(3)},
        {"secret": one, "type": "entry", "nonce": "A-1", "scanned_at": at(2)},
    ]
    response = await checkin.post(
        f"/checkin-lists/{stage.list_id}/scans", json={"scans": scans}, headers=stage.organizer.headers
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [result["scan"]["nonce"] for result in results] == ["B-1", "A-2", "A-1"]  # as sent
    assert [result["result"] for result in results] == ["already_checked_in", "ok", "ok"]
    assert [result["double_entry"] for result in results] == [True, False, False]
    assert results[0]["checked_in_at"] == results[2]["scan"]["scanned_at"]
    assert all(result["scan"]["offline"] for result in results)

    report = await stage.report(checkin)
    vip = next(count for count in report["counts"] if count["ticket_type_id"] == VIP)
    assert (vip["checked_in"], vip["inside_now"]) == (2, 2)  # never counted twice
    assert report["double_entry_count"] == 1
    assert [scan["nonce"] for scan in report["double_entries"]] == ["B-1"]
    # Uploaded again (the scanner did not hear the answer): the same verdicts, nothing recorded twice.
    again = await checkin.post(
        f"/checkin-lists/{stage.list_id}/scans", json={"scans": scans}, headers=stage.organizer.headers
    )
    assert [result["scan"] for result in again.json()["results"]] == [result["scan"] for result in results]
    assert (await stage.report(checkin))["double_entry_count"] == 1
    messages = await scanned.wait_for_type("checkin.scanned", 3)
    flagged = [message["data"] for message in messages if message["data"]["double_entry"]]
    assert len(flagged) == 1 and flagged[0]["offline"] is True
    # Online now: the gate refuses, so nothing is flagged.
    answer = await stage.scan(checkin, one, nonce="online")
    assert (answer["result"], answer["double_entry"]) == ("already_checked_in", False)
