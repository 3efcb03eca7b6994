"""What must hold after the run, read straight from the stores and the broker, each with its figures."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import asyncpg
from pymongo import AsyncMongoClient

from chaos.cluster import Cluster
from chaos.sockets import LiveClient
from tests.backends import POSTGRES_ADMIN_DSN, queued_messages

# The states whose seats are taken; a hold or a booking being paid keeps its seats too.
SEATED = ("confirmed", "pending", "held")
# States nothing in flight will change; a hold whose payment never came keeps its seats until it expires.
SETTLED = ("confirmed", "failed", "released", "cancelled", "refund_refused", "expired", "held")


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    figures: str


@dataclass(frozen=True)
class State:
    """The stores and the broker as read once; the checks judge it."""

    bookings: list[dict[str, Any]]
    capacity: dict[str, int]
    payments: list[dict[str, Any]]
    unsent_sql: int
    unsent_mongo: dict[str, int]  # documents with pending messages, by collection
    queued: dict[str, int]  # ready messages by queue, dead-letter queues included
    notifications: list[dict[str, Any]]

    @cached_property
    def by_recipient(self) -> dict[str, set[str]]:
        """Notification ids by recipient, `*` for everyone's: read once, not once per client."""
        ids: dict[str, set[str]] = defaultdict(set)
        for notification in self.notifications:
            for recipient in _recipients(notification):
                ids[recipient].add(notification["_id"])
        return ids

    @cached_property
    def types(self) -> dict[str, str]:
        return {notification["_id"]: notification["type"] for notification in self.notifications}

    @cached_property
    def stored_ids(self) -> set[str]:
        return {notification["_id"] for notification in self.notifications}


async def read_state(cluster: Cluster, capacity: dict[str, int]) -> State:
    dsn = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    bookings: list[dict[str, Any]] = []
    unsent_sql = 0
    for service, database in cluster.databases.items():
        connection = await asyncpg.connect(f"{dsn}/{database}")
        try:
            unsent_sql += await connection.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            if service == "booking_service":
                rows = await connection.fetch("SELECT id, user_id, event_id, tickets, status FROM bookings")
                bookings = [{**row, "id": str(row["id"])} for row in rows]
        finally:
            await connection.close()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(cluster.mongo_url)
    try:
        databases = cluster.mongo_databases
        payments = await mongo[databases["payment_service"]]["payments"].find({}).to_list()
        unsent_mongo = {}
        for service, collection in (("event_service", "events"), ("payment_service", "payments")):
            unsent_mongo[collection] = await mongo[databases[service]][collection].count_documents(
                {"outbox.0": {"$exists": True}}
            )
        notifications = await mongo[databases["notification_service"]]["notifications"].find({}).to_list()
    finally:
        await mongo.close()
    return State(
        bookings,
        capacity,
        payments,
        unsent_sql,
        unsent_mongo,
        await queued_messages([name for queue in cluster.queues for name in (queue, f"{queue}.dlq")]),
        notifications,
    )


def _recipients(notification: dict[str, Any]) -> list[str]:
    recipient = notification["recipient"]
    return recipient if isinstance(recipient, list) else [recipient]


def expected_ids(state: State, user_id: str) -> set[str]:
    """The notifications meant for `user_id`: its own and everyone's."""
    return state.by_recipient.get(user_id, set()) | state.by_recipient.get("*", set())


def outstanding(state: State, clients: Sequence[LiveClient]) -> list[str]:
    """What is still to happen: bookings mid-way, messages unsent or queued, notifications not yet
    received; empty once all has settled."""
    mid_way = sum(1 for booking in state.bookings if booking["status"] not in SETTLED)
    untold = sum(len(expected_ids(state, c.account.id) - set(c.received)) for c in clients)
    figures = {
        "bookings mid-way": mid_way,
        "unsent PostgreSQL outbox rows": state.unsent_sql,
        **{f"{name} documents with an outbox": count for name, count in state.unsent_mongo.items()},
        "queued messages": sum(state.queued.values()),
        # Taken from a queue but not yet stored: a replica may still hold them (ready counts omit them).
        "confirmed bookings not yet told": len(_untold(state)),
        "notifications not yet received": untold,
    }
    return [f"{count} {what}" for what, count in figures.items() if count]


def oversold(state: State) -> Finding:
    seated: Counter[str] = Counter()
    for booking in state.bookings:
        if booking["status"] in SEATED:
            seated[booking["event_id"]] += booking["tickets"]
    over = {event: seated[event] - cap for event, cap in state.capacity.items() if seated[event] > cap}
    sold, capacity = sum(seated.values()), sum(state.capacity.values())
    return Finding(
        "no oversold quota",
        not over,
        f"{sold}/{capacity} seats taken over {len(state.capacity)} events, {len(over)} oversold",
    )


def payments(state: State) -> Finding:
    """Confirmed: one succeeded payment. Cancelled: one, refunded. Any other: none that kept the money."""
    by_booking: dict[str, Counter[str]] = defaultdict(Counter)
    for payment in state.payments:
        by_booking[payment["booking_id"]][payment["status"]] += 1
    wrong = []
    statuses: Counter[str] = Counter()
    for booking in state.bookings:
        status, charged = booking["status"], by_booking.pop(booking["id"], Counter())
        statuses[status] += 1
        kept = charged["succeeded"] + charged["partially_refunded"]
        if status == "confirmed":
            good = kept == 1 and charged["refunded"] == 0
        elif status == "cancelled":
            good = kept == 0 and charged["refunded"] == 1
        else:
            good = kept == 0
        if not good:
            wrong.append((booking["id"], status, dict(charged)))
    orphans = [booking for booking, charged in by_booking.items() if charged["succeeded"]]
    refunded = sum(1 for payment in state.payments if payment["status"] == "refunded")
    figures = (
        f"{len(state.bookings)} bookings ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}); "
        f"{len(state.payments)} payments, {refunded} refunded; {len(wrong)} wrong, "
        f"{len(orphans)} charged without a booking"
    )
    if wrong:
        figures += f"; first wrong: {wrong[:3]}"
    return Finding("one payment per confirmed booking", not wrong and not orphans, figures)


def drained(state: State) -> Finding:
    waiting = {queue: count for queue, count in state.queued.items() if count}
    figures = (
        f"{state.unsent_sql} unsent PostgreSQL outbox rows, "
        f"{sum(state.unsent_mongo.values())} MongoDB documents with an outbox, "
        f"{sum(waiting.values())} messages in {len(state.queued)} queues"
    )
    if waiting:
        figures += f" ({waiting})"
    return Finding(
        "outboxes and queues empty",
        not waiting and not state.unsent_sql and not any(state.unsent_mongo.values()),
        figures,
    )


def _confirmed(state: State) -> set[str]:
    return {b["id"] for b in state.bookings if b["status"] in ("confirmed", "cancelled")}


def _untold(state: State) -> set[str]:
    """The confirmed bookings no `booking.confirmed` notification is stored for."""
    told = {n["data"]["booking_id"] for n in state.notifications if n["type"] == "booking.confirmed"}
    return _confirmed(state) - told


def stored_once(state: State) -> Finding:
    """Each booking's notification per recipient once, each part of a message once, every confirmed
    booking told."""
    told: Counter[tuple[str, str, str]] = Counter()
    parts: Counter[tuple[str, Any, Any]] = Counter()
    for n in state.notifications:
        parts[(n["message_id"], n.get("slot"), n.get("part"))] += 1
        if "booking_id" in n["data"]:
            for recipient in _recipients(n):
                told[(n["type"], n["data"]["booking_id"], recipient)] += 1
    twice = sum(1 for count in told.values() if count > 1) + sum(1 for count in parts.values() if count > 1)
    confirmed = _confirmed(state)
    untold = _untold(state)
    figures = (
        f"{len(state.notifications)} stored, {twice} stored twice, "
        f"{len(untold)}/{len(confirmed)} confirmed bookings untold"
    )
    return Finding("each notification stored once", not twice and not untold, figures)


# How many missed notifications the report names, to trace them in the services' logs.
NAMED_MISSES = 5


def delivered(state: State, clients: Sequence[LiveClient]) -> Finding:
    missing = expected = repeats = unexpected = 0
    misses: list[str] = []
    for client in clients:
        meant = expected_ids(state, client.account.id)
        expected += len(meant)
        missed = sorted(meant - set(client.received))
        missing += len(missed)
        misses += [
            f"{notification_id} ({state.types[notification_id]}) for {client.account.id}, whose socket "
            f"connected {client.connects} times, last at id {client.last_id}"
            for notification_id in missed
        ]
        # One stored after the stores were read is judged by nothing here, rather than called not theirs.
        unexpected += len((set(client.received) & state.stored_ids) - meant)
        repeats += sum(count - 1 for count in client.received.values())
    reconnects = sum(max(client.connects - 1, 0) for client in clients)
    truncated = sum(client.truncated for client in clients)
    figures = (
        f"{len(clients)} clients, {expected} notifications meant for them, {missing} missed, "
        f"{unexpected} not theirs; "
        f"{reconnects} reconnects, {repeats} repeats dropped by id, {truncated} truncated replays"
    )
    if misses:
        figures += "; missed: " + "; ".join(misses[:NAMED_MISSES])
    return Finding(
        "every client told each notification once", not missing and not unexpected and not truncated, figures
    )
