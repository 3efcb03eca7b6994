"""Checkout with holds beside the one-step booking, in the same run: three ticket types sharing one quota.

Each buyer holds one ticket of one of three types, then pays for the hold: two requests where the
one-step booking makes one. The quota, not the event's capacity, is what runs out, so every hold
goes through the quota rule. The one-step figure is measured first on the same services, so the
ratio compares two paths on one warm platform.
"""

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from bench.api import KeepAliveConnection, book_over, create_event
from bench.procstat import CpuMeter
from bench.report import Figure, Goal, ScenarioResult, step
from bench.scenarios.booking import (
    SERVICES,
    answers_by_status,
    contend,
    event_on_sale,
    selling_rate,
    setup_client,
    warm_up,
)
from bench.stack import Platform, PlatformStarter
from bench.stats import percentile, summary
from tests.accounts import Account
from tests.apps import wait_for

NAME = "checkout"
TYPES = (("Early bird", 1500), ("Regular", 2500), ("VIP", 6000))


@dataclass(frozen=True)
class CheckoutParams:
    bookings: int = 1000
    capacity: int = 300
    clients: int = 32


async def _event_with_types(
    client: httpx.AsyncClient, platform: Platform, organizer: Account, quota_size: int
) -> tuple[str, list[str], str]:
    """Publishes an event of three types in one quota of `quota_size` (the capacity is twice that);
    returns its id, its types' ids and the quota's id, once the booking service sells them."""
    events = platform.urls["event_service"]
    event = await create_event(client, platform, organizer, capacity=2 * quota_size, title="Checkout")
    type_ids = []
    for name, price in TYPES:
        created = await client.post(
            f"{events}/events/{event['id']}/ticket-types",
            headers=organizer.headers,
            json={"name": name, "price": price, "max_per_booking": 1},
        )
        created.raise_for_status()
        type_ids.append(created.json()["id"])
    quota = await client.post(
        f"{events}/events/{event['id']}/quotas",
        headers=organizer.headers,
        json={"name": "Hall", "size": quota_size, "ticket_type_ids": type_ids},
    )
    quota.raise_for_status()
    availability = f"{platform.urls['booking_service']}/events/{event['id']}/availability"

    async def sells_them() -> bool:
        answer = (await client.get(availability)).json()
        return {t["ticket_type_id"] for t in answer.get("ticket_types", [])} >= set(type_ids) and any(
            q["quota_id"] == quota.json()["id"] for q in answer.get("quotas", [])
        )

    await wait_for(sells_them, timeout=30)
    return event["id"], type_ids, quota.json()["id"]


async def _hold_then_pay(connection: KeepAliveConnection, buyer: Account, event_id: str, type_id: str) -> int:
    """Holds one ticket of the type, then pays for it; returns the hold's refusal or the payment's answer."""
    status, body = await connection.post(
        "/bookings",
        {"event_id": event_id, "items": [{"ticket_type_id": type_id, "quantity": 1}], "hold": True},
        buyer.headers,
    )
    if status != 201:
        return status
    booking_id = json.loads(body)["id"]
    status, _ = await connection.post(f"/bookings/{booking_id}/pay", {}, buyer.headers)
    return status


async def _quota_sold(client: httpx.AsyncClient, platform: Platform, event_id: str, quota_id: str) -> int:
    answer = (await client.get(f"{platform.urls['booking_service']}/events/{event_id}/availability")).json()
    [quota] = [q for q in answer["quotas"] if q["quota_id"] == quota_id]
    return int(quota["sold"])


async def run(start: PlatformStarter, params: CheckoutParams) -> ScenarioResult:
    async with start(SERVICES) as platform, setup_client(params.clients) as client:
        organizer = platform.minter.account("organizer")
        await warm_up(client, platform, organizer, name=NAME)
        one_step = await event_on_sale(client, platform, organizer, capacity=params.capacity, title="Direct")
        event_id, type_ids, quota_id = await _event_with_types(client, platform, organizer, params.capacity)

        step(NAME, f"one step: {params.bookings:,} attempts for {params.capacity:,} seats")
        processes = {**platform.pids, "bench": os.getpid()}
        meter = CpuMeter(processes)
        booked = await contend(
            platform,
            platform.minter.accounts(params.bookings),
            params.clients,
            lambda over, buyer: book_over(over, buyer, one_step["id"]),
            name=NAME,
        )
        one_step_cpu = meter.used()
        step(NAME, f"hold then pay: {params.bookings:,} attempts for a quota of {params.capacity:,}")
        buyers = platform.minter.accounts(params.bookings)
        type_of = {buyer.id: type_ids[index % len(type_ids)] for index, buyer in enumerate(buyers)}
        meter = CpuMeter(processes)
        checked_out = await contend(
            platform,
            buyers,
            params.clients,
            lambda over, buyer: _hold_then_pay(over, buyer, event_id, type_of[buyer.id]),
            name=NAME,
        )
        cpu = meter.used()
        quota_sold = await _quota_sold(client, platform, event_id, quota_id)

    one_step_rate = selling_rate(booked, 201)
    paid = [attempt for attempt in checked_out if attempt.status in (200, 201)]
    checkout_rate = selling_rate(checked_out, paid[0].status) if paid else float("nan")
    unexpected = [attempt for attempt in checked_out if attempt.status not in (200, 201, 409)]
    latencies = [attempt.latency * 1000 for attempt in checked_out]
    details: dict[str, Any] = {
        "one_step_answers": answers_by_status(booked),
        "checkout_answers": answers_by_status(checked_out),
        "checkout_latency_ms": summary(latencies),
        "quota_sold_stored": quota_sold,
        "cpu_ms_per_one_step": {name: seconds * 1000 / len(booked) for name, seconds in one_step_cpu.items()},
        "cpu_ms_per_checkout": {name: seconds * 1000 / len(checked_out) for name, seconds in cpu.items()},
    }
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("one-step confirmed/s", one_step_rate, "/s"),
            Figure("checkout confirmed/s", checkout_rate, "/s"),
            Figure("checkout / one-step", checkout_rate / one_step_rate, "", Goal(">=", 0.8)),
            Figure("checkout p99 (hold + pay)", percentile(latencies, 99), "ms"),
            Figure("quota oversold", max(0, max(len(paid), quota_sold) - params.capacity), "", Goal("==", 0)),
            Figure("checkouts paid", len(paid), "", Goal("==", min(params.bookings, params.capacity))),
            Figure("unexpected answers", len(unexpected), "", Goal("==", 0)),
        ],
        details=details,
    )
