"""Checkout with holds beside the one-step booking, in the same run: three ticket types sharing one quota.

Each buyer holds one ticket of one of three types, then pays for the hold: two requests where the
one-step booking makes one. The quota, not the event's capacity, is what runs out, so every hold
goes through the quota rule. Each round sells a one-step event, then a checkout one, on the same
services, so each round's ratio compares two paths on one warm platform; the figures are medians
over the rounds.
"""

import json
import os
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from bench.api import KeepAliveConnection, book_over, create_event
from bench.procstat import CpuMeter
from bench.report import Figure, Goal, ScenarioResult, step
from bench.scenarios.booking import (
    SERVICES,
    Attempt,
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
    # A sale of 300 seats lasts about a second, so one round's ratio moves by a tenth from run to run:
    # the figures are the medians of rounds, each a one-step sale then a checkout, on new events.
    rounds: int = 5


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


@dataclass
class _Phase:
    """What one kind of sale gave over the rounds: each round's rate, every attempt, the CPU used."""

    answer: int  # the status that confirms
    rates: list[float] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)

    def add(self, attempts: list[Attempt], cpu: dict[str, float]) -> None:
        self.rates.append(selling_rate(attempts, self.answer))
        self.attempts.extend(attempts)
        for name, seconds in cpu.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + seconds

    def cpu_ms_per_attempt(self) -> dict[str, float]:
        return {name: seconds * 1000 / len(self.attempts) for name, seconds in self.cpu.items()}


async def _round(
    client: httpx.AsyncClient,
    platform: Platform,
    organizer: Account,
    params: CheckoutParams,
    one_step: _Phase,
    checkout: _Phase,
    *,
    label: str,
) -> int:
    """Sells a new event in one step, then a new one of three types by hold and pay; returns how many
    seats the checkout's quota counts as sold."""
    processes = {**platform.pids, "bench": os.getpid()}
    direct = await event_on_sale(client, platform, organizer, capacity=params.capacity, title="Direct")
    event_id, type_ids, quota_id = await _event_with_types(client, platform, organizer, params.capacity)

    step(NAME, f"{label}, one step: {params.bookings:,} attempts for {params.capacity:,} seats")
    meter = CpuMeter(processes)
    booked = await contend(
        platform,
        platform.minter.accounts(params.bookings),
        params.clients,
        lambda over, buyer: book_over(over, buyer, direct["id"]),
        name=NAME,
    )
    one_step.add(booked, meter.used())

    step(NAME, f"{label}, hold then pay: {params.bookings:,} attempts for a quota of {params.capacity:,}")
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
    checkout.add(checked_out, meter.used())
    return await _quota_sold(client, platform, event_id, quota_id)


async def run(start: PlatformStarter, params: CheckoutParams) -> ScenarioResult:
    one_step, checkout = _Phase(answer=201), _Phase(answer=200)
    quota_sold: list[int] = []
    async with start(SERVICES) as platform, setup_client(params.clients) as client:
        organizer = platform.minter.account("organizer")
        await warm_up(client, platform, organizer, name=NAME)
        for round_number in range(1, params.rounds + 1):
            label = f"round {round_number}/{params.rounds}"
            quota_sold.append(
                await _round(client, platform, organizer, params, one_step, checkout, label=label)
            )

    paid = [attempt for attempt in checkout.attempts if attempt.status == checkout.answer]
    unexpected = [attempt for attempt in checkout.attempts if attempt.status not in (200, 201, 409)]
    latencies = [attempt.latency * 1000 for attempt in checkout.attempts]
    # Each round's checkout against the one-step sale just before it, on the platform as it then was.
    ratios = [sold / direct for direct, sold in zip(one_step.rates, checkout.rates, strict=True)]
    details: dict[str, Any] = {
        "one_step_rates": one_step.rates,
        "checkout_rates": checkout.rates,
        "ratios": ratios,
        "one_step_answers": answers_by_status(one_step.attempts),
        "checkout_answers": answers_by_status(checkout.attempts),
        "checkout_latency_ms": summary(latencies),
        "quota_sold_stored": quota_sold,
        "cpu_ms_per_one_step": one_step.cpu_ms_per_attempt(),
        "cpu_ms_per_checkout": checkout.cpu_ms_per_attempt(),
    }
    expected_paid = params.rounds * min(params.bookings, params.capacity)
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("one-step confirmed/s", statistics.median(one_step.rates), "/s"),
            Figure("checkout confirmed/s", statistics.median(checkout.rates), "/s"),
            Figure("checkout / one-step", statistics.median(ratios), "", Goal(">=", 0.8)),
            Figure("checkout p99 (hold + pay)", percentile(latencies, 99), "ms"),
            Figure("quota oversold", max(0, max(quota_sold) - params.capacity), "", Goal("==", 0)),
            Figure("checkouts paid", len(paid), "", Goal("==", expected_paid)),
            Figure("unexpected answers", len(unexpected), "", Goal("==", 0)),
        ],
        details=details,
    )
