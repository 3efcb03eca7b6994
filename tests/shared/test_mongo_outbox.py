"""The Mongo outbox against a real RabbitMQ: staged with the change, published once and in order."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId
from fastapi import FastAPI

from scripts.embedded_mongo import drop_databases
from shared.messages import UserRegistered
from shared.messaging import Broker, Envelope
from shared.mongo import MongoStore
from shared.mongo_outbox import (
    OUTBOX_INDEX,
    MongoOutboxRelay,
    OutboxDocument,
    OutboxFullError,
    WakesOutboxRelay,
    room_for,
    stage_messages,
    with_messages,
)
from tests.conftest import MessageTap, rabbitmq_through, wait_for
from tests.shared.conftest import TYPE, connected
from tests.shared.mongo_commands import COMMANDS, named
from tests.shared.test_mongo import open_store
from tests.tcp_proxy import TcpProxy, free_port


class Order(OutboxDocument):
    outbox_source = "test_service"

    name: str
    state: str = "new"
    version: int = 0

    class Settings:
        name = "orders"


class FlakyBroker(Broker):
    """A real broker whose first publish fails with an error it does not translate."""

    failed = False

    async def publish(self, envelope: Envelope) -> None:
        if not self.failed:
            self.failed = True
            raise RuntimeError("channel closed mid-reconnect")
        await super().publish(envelope)


def fact(name: str) -> UserRegistered:
    return UserRegistered(
        user_id=name,
        username=name,
        email=f"{name}@example.com",
        full_name=name,
        roles=["attendee"],
        registered_at=datetime.now(UTC),
    )


def names(messages: list[dict[str, Any]]) -> list[str]:
    return [message["data"]["username"] for message in messages]


async def create_order(name: str, *staged: str) -> Order:
    order = Order(name=name)
    stage_messages(order, *(fact(item) for item in staged))
    await order.insert()
    return order


async def update_order(order_id: PydanticObjectId, update: dict[str, Any], *staged: str) -> bool:
    result = await Order.find_one(Order.id == order_id).update(
        with_messages(Order, update, *(fact(item) for item in staged))
    )
    return result.matched_count == 1


async def update_order_with_room(order: Order, *staged: str) -> bool:
    """Stages messages as the services do: only while the order, as read, has room for them."""
    result = await Order.find_one({"_id": order.id, **room_for(order, len(staged))}).update(
        with_messages(Order, {"$inc": {"version": 1}}, *(fact(item) for item in staged))
    )
    return result.matched_count == 1


async def read_order(order_id: PydanticObjectId) -> Order:
    order = await Order.get(order_id)
    assert order is not None
    return order


async def pending(order_id: PydanticObjectId) -> list[str]:
    document = await Order.get_pymongo_collection().find_one({"_id": order_id})
    assert document is not None
    return [entry["data"]["username"] for entry in document["outbox"]]


async def all_sent() -> bool:
    return await Order.get_pymongo_collection().count_documents({"outbox.0": {"$exists": True}}) == 0


async def arrived_exactly(tap: MessageTap, expected: list[str]) -> None:
    """Waits for `expected`, then for a marker staged later by a running relay; nothing else may come."""
    await tap.wait_for_type(TYPE, len(expected))
    marker = await create_order("marker", "marker")
    await wait_for(lambda: _has(tap, "marker"))
    await Order.find_one(Order.id == marker.id).delete()
    assert names(tap.of_type(TYPE)) == [*expected, "marker"]
    tap.messages.clear()


async def _has(tap: MessageTap, name: str) -> bool:
    return name in names(tap.of_type(TYPE))


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[MongoStore]:
    async with open_store(mongo_url, [Order]) as store:
        yield store


@pytest.fixture
async def start_relay(store: MongoStore) -> AsyncIterator[Callable[[Broker], Awaitable[MongoOutboxRelay]]]:
    relays: list[MongoOutboxRelay] = []

    async def start(broker: Broker) -> MongoOutboxRelay:
        relay = MongoOutboxRelay(models=[Order], broker=broker, poll_seconds=0.1)
        relays.append(relay)
        await relay.start()
        return relay

    yield start
    for relay in relays:
        await relay.close()


def test_with_messages_keeps_the_update_and_appends_to_the_outbox() -> None:
    update = {"$set": {"state": "paid"}, "$push": {"log": "paid"}}

    merged = with_messages(Order, update, fact("a"), fact("b"))

    assert merged["$set"] == {"state": "paid"}
    assert merged["$push"]["log"] == "paid"
    staged = merged["$push"]["outbox"]["$each"]
    assert [entry["data"]["username"] for entry in staged] == ["a", "b"]
    assert {entry["source"] for entry in staged} == {"test_service"}
    assert update == {"$set": {"state": "paid"}, "$push": {"log": "paid"}}


async def test_relay_publishes_staged_messages_once_in_order(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
    start_relay: Callable[[Broker], Awaitable[MongoOutboxRelay]],
) -> None:
    order = await create_order("o1", "o1-created")
    assert await update_order(order.id, {"$set": {"state": "paid"}}, "o1-paid", "o1-shipped")
    assert await pending(order.id) == ["o1-created", "o1-paid", "o1-shipped"]

    relay = await start_relay(await start_broker())
    relay.wake()

    await arrived_exactly(tap, ["o1-created", "o1-paid", "o1-shipped"])
    await wait_for(all_sent)
    assert await relay.relay_batch() == 0
    loaded = await Order.get(order.id)
    assert loaded is not None and loaded.state == "paid" and loaded.outbox == []


async def test_order_holds_per_document_while_writes_and_relay_interleave(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
    start_relay: Callable[[Broker], Awaitable[MongoOutboxRelay]],
) -> None:
    relay = await start_relay(await start_broker())
    orders = [await create_order(name, f"{name}-0") for name in ("a", "b", "c")]
    for step in range(1, 6):
        for order in orders:
            staged = await update_order(order.id, {"$inc": {"version": 1}}, f"{order.name}-{step}")
            assert staged
            relay.wake()

    received = names(await tap.wait_for_type(TYPE, 18))
    for order in orders:
        assert [name for name in received if name.startswith(order.name)] == [
            f"{order.name}-{step}" for step in range(6)
        ]
    await wait_for(all_sent)
    await arrived_exactly(tap, received)


async def test_two_relays_share_the_work_without_loss_or_reordering(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
    start_relay: Callable[[Broker], Awaitable[MongoOutboxRelay]],
) -> None:
    relays = [await start_relay(await start_broker()) for _ in range(2)]
    orders = [await create_order(f"r{i}") for i in range(10)]
    for step in range(10):
        for order in orders:
            await update_order(order.id, {"$set": {"state": f"s{step}"}}, f"{order.name}-{step}")
        for relay in relays:
            relay.wake()

    received = names(await tap.wait_for_type(TYPE, 100))
    for order in orders:
        assert [name for name in received if name.split("-")[0] == order.name] == [
            f"{order.name}-{step}" for step in range(10)
        ]
    await wait_for(all_sent)
    await arrived_exactly(tap, received)


async def test_staging_succeeds_while_the_broker_is_unreachable(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
    start_relay: Callable[[Broker], Awaitable[MongoOutboxRelay]],
) -> None:
    unreachable = await start_broker(f"amqp://guest:guest@127.0.0.1:{free_port()}/", wait=False)
    stalled = await start_relay(unreachable)

    order = await create_order("d1", "d1-created")
    assert await update_order(order.id, {"$set": {"state": "paid"}}, "d1-paid")
    stalled.wake()
    assert await stalled.relay_batch() == 0
    assert await pending(order.id) == ["d1-created", "d1-paid"]

    relay = await start_relay(await start_broker())
    relay.wake()
    await arrived_exactly(tap, ["d1-created", "d1-paid"])
    await wait_for(all_sent)


async def test_messages_staged_during_a_broker_outage_arrive_after_it(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
    start_relay: Callable[[Broker], Awaitable[MongoOutboxRelay]],
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    await proxy.start()
    try:
        broker = await start_broker(rabbitmq_through(proxy))
        relay = await start_relay(broker)
        order = await create_order("p1", "p1-before")
        relay.wake()
        await tap.wait_for_type(TYPE, 1)
        await wait_for(all_sent)

        await proxy.stop()
        await wait_for(lambda: connected(broker, False))
        assert await update_order(order.id, {"$set": {"state": "paid"}}, "p1-during-1", "p1-during-2")
        relay.wake()
        assert await relay.relay_batch() == 0
        assert await pending(order.id) == ["p1-during-1", "p1-during-2"]

        await proxy.start()
        await wait_for(lambda: connected(broker, True), timeout=30)
        relay.wake()
        await arrived_exactly(tap, ["p1-before", "p1-during-1", "p1-during-2"])
        await wait_for(all_sent)
    finally:
        await proxy.stop()


async def test_a_leased_document_waits_for_its_lease_to_expire(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
) -> None:
    relay = MongoOutboxRelay(models=[Order], broker=await start_broker())
    order = await create_order("l1", "l1-created")
    collection = Order.get_pymongo_collection()

    held_until = datetime.now(UTC) + timedelta(hours=1)
    await collection.update_one({"_id": order.id}, {"$set": {"outbox_lease": held_until}})
    assert await relay.relay_batch() == 0  # another replica holds it
    assert await pending(order.id) == ["l1-created"]

    expired = datetime.now(UTC) - timedelta(seconds=1)
    await collection.update_one({"_id": order.id}, {"$set": {"outbox_lease": expired}})
    assert await relay.relay_batch() == 1  # that replica died: this one takes over
    assert names(await tap.wait_for_type(TYPE, 1)) == ["l1-created"]
    assert await pending(order.id) == []


async def test_an_unexpected_publish_error_releases_the_document(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
) -> None:
    relay = MongoOutboxRelay(models=[Order], broker=await start_broker(kind=FlakyBroker))
    order = await create_order("e1", "e1-created", "e1-paid")

    with pytest.raises(RuntimeError):
        await relay.relay_batch()
    loaded = await Order.get(order.id)
    assert loaded is not None and loaded.outbox_lease is None
    assert await pending(order.id) == ["e1-created", "e1-paid"]

    assert await relay.relay_batch() == 2
    assert names(await tap.wait_for_type(TYPE, 2)) == ["e1-created", "e1-paid"]


async def test_the_outbox_index_is_declared_with_the_model(store: MongoStore) -> None:
    information = await Order.get_pymongo_collection().index_information()

    assert information[OUTBOX_INDEX]["key"] == [("outbox.id", 1)]


async def test_a_restart_keeps_the_outbox_index(
    mongo_url: str, start_broker: Callable[..., Awaitable[Broker]]
) -> None:
    database = f"test_{uuid.uuid4().hex[:12]}"
    broker = await start_broker()
    try:
        with COMMANDS.watching(database) as commands:
            for _ in range(2):  # a start, and a restart of the same release
                async with MongoStore(url=mongo_url, database=database, document_models=[Order]):
                    relay = MongoOutboxRelay(models=[Order], broker=broker)
                    await relay.relay_batch()
                    built = await Order.get_pymongo_collection().index_information()
    finally:
        await drop_databases(mongo_url, database)

    assert named(commands, "dropIndexes") == []
    assert OUTBOX_INDEX in built


async def test_an_outbox_takes_messages_up_to_its_limit_then_refuses_more(
    store: MongoStore,
    tap: MessageTap,
    start_broker: Callable[..., Awaitable[Broker]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Order, "outbox_limit", 4)
    order = await create_order("f1", "f1-created")
    assert await update_order_with_room(order, "f1-paid", "f1-packed")
    assert await update_order_with_room(await read_order(order.id), "f1-shipped")  # at the limit

    full = await read_order(order.id)
    with pytest.raises(OutboxFullError, match="4 changes waiting to be published"):
        room_for(full)
    with pytest.raises(OutboxFullError):
        stage_messages(Order(name="f2"), *(fact(f"f2-{index}") for index in range(5)))
    assert await pending(order.id) == ["f1-created", "f1-paid", "f1-packed", "f1-shipped"]

    relay = MongoOutboxRelay(models=[Order], broker=await start_broker())
    assert await relay.relay_batch() == 4
    assert await update_order_with_room(await read_order(order.id), "f1-delivered")
    assert await relay.relay_batch() == 1
    expected = ["f1-created", "f1-paid", "f1-packed", "f1-shipped", "f1-delivered"]
    assert names(await tap.wait_for_type(TYPE, 5)) == expected


async def test_a_writer_that_read_before_another_cannot_overfill_the_outbox(
    store: MongoStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Order, "outbox_limit", 3)
    order = await create_order("c1", "c1-created")
    stale = await read_order(order.id)  # it has room for two more
    assert await update_order_with_room(await read_order(order.id), "c1-first", "c1-second")

    assert not await update_order_with_room(stale, "c1-late")
    assert await pending(order.id) == ["c1-created", "c1-first", "c1-second"]


def orders_app(relay: MongoOutboxRelay) -> FastAPI:
    """A service that inserts an order with a staged message, as the payment service inserts a payment."""
    app = FastAPI()
    app.state.outbox_relay = relay

    @app.post("/orders/{name}", dependencies=[WakesOutboxRelay])
    async def create(name: str) -> dict[str, str]:
        return {"id": str((await create_order(name, f"{name}-created")).id)}

    return app


async def post_order(relay: MongoOutboxRelay, name: str) -> PydanticObjectId:
    transport = httpx.ASGITransport(app=orders_app(relay))
    async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
        response = await client.post(f"/orders/{name}")
    response.raise_for_status()
    return PydanticObjectId(response.json()["id"])


async def test_an_order_a_request_inserts_is_published_by_its_relay_without_a_lookup_or_a_lease(
    store: MongoStore, tap: MessageTap, start_broker: Callable[..., Awaitable[Broker]]
) -> None:
    relay = MongoOutboxRelay(models=[Order], broker=await start_broker())
    order_id = await post_order(relay, "h1")

    with COMMANDS.watching(store.database_name) as commands:
        assert await relay.relay_batch() == 1

    assert names(await tap.wait_for_type(TYPE, 1)) == ["h1-created"]
    assert await pending(order_id) == []
    [release] = named(commands, "update")  # the lease was taken with the insert: no update sets one
    assert "$pull" in release["updates"][0]["u"]
    assert all(command["filter"] != {} for command in named(commands, "find"))  # only the search for others


async def test_an_order_inserted_leased_to_a_replica_that_died_is_published_once_its_lease_ends(
    store: MongoStore, tap: MessageTap, start_broker: Callable[..., Awaitable[Broker]]
) -> None:
    died = MongoOutboxRelay(models=[Order], broker=await start_broker())  # never runs a pass
    order_id = await post_order(died, "h2")
    other = MongoOutboxRelay(models=[Order], broker=await start_broker())

    assert await other.relay_batch() == 0  # the lease of the replica that inserted it holds
    await Order.get_pymongo_collection().update_one(
        {"_id": order_id}, {"$set": {"outbox_lease": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    assert await other.relay_batch() == 1
    assert names(await tap.wait_for_type(TYPE, 1)) == ["h2-created"]
    assert await pending(order_id) == []


async def test_orders_several_requests_inserted_are_released_by_one_update(
    store: MongoStore, tap: MessageTap, start_broker: Callable[..., Awaitable[Broker]]
) -> None:
    """Under load the relay finds several held documents at once: one update releases them all."""
    relay = MongoOutboxRelay(models=[Order], broker=await start_broker())
    order_ids = [await post_order(relay, f"b{number}") for number in range(5)]

    with COMMANDS.watching(store.database_name) as commands:
        assert await relay.relay_batch() == 5

    assert sorted(names(await tap.wait_for_type(TYPE, 5))) == [f"b{number}-created" for number in range(5)]
    assert [await pending(order_id) for order_id in order_ids] == [[]] * 5
    [release] = named(commands, "update")
    assert "$pull" in release["updates"][0]["u"]
    assert not await Order.find({"outbox_lease": {"$ne": None}}).to_list()  # every lease given back
