"""The Mongo store over the wire: the operations the services rely on, timeouts, indexes across releases."""

import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

import httpx
import pytest
from beanie import Document, Indexed, UpdateResponse
from fastapi import FastAPI
from pymongo import IndexModel, ReturnDocument, WriteConcern
from pymongo.errors import DuplicateKeyError

from scripts.embedded_mongo import drop_databases
from shared.mongo import (
    MongoStore,
    MongoUnavailableError,
    add_mongo_error_handler,
    journaled,
)
from tests.shared.mongo_commands import COMMANDS, index_shapes, named
from tests.tcp_proxy import free_port


@asynccontextmanager
async def open_store(url: str, models: Sequence[type[Document]]) -> AsyncIterator[MongoStore]:
    """A store started as a service starts it, on a database of its own, dropped before it closes."""
    database = f"test_{uuid.uuid4().hex[:12]}"
    async with MongoStore(url=url, database=database, document_models=models) as store:
        try:
            yield store
        finally:
            await store.database.client.drop_database(database)


class Ticket(Document):
    code: Annotated[str, Indexed(unique=True)]
    owner: str
    price: int
    tags: list[str] = []
    version: int = 0
    created_at: datetime | None = None

    class Settings:
        name = "tickets"


class Seat(Document):
    """A release's model: seats, listed by row."""

    row: str

    class Settings:
        name = "seats"
        indexes = [IndexModel("row", name="by_row")]


class SeatNextRelease(Document):
    """The next release of `Seat`: the same index, now sparse."""

    row: str

    class Settings:
        name = "seats"
        indexes = [IndexModel("row", name="by_row", sparse=True)]


class NeverInitialized(Document):
    name: str


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[MongoStore]:
    async with open_store(mongo_url, [Ticket]) as store:
        yield store


async def _add_tickets() -> list[Ticket]:
    tickets = [Ticket(code=f"T{i}", owner="ann" if i % 2 else "bob", price=i * 100) for i in range(1, 7)]
    for ticket in tickets:
        await ticket.insert()
    return tickets


async def test_round_trip(store: MongoStore) -> None:
    created_at = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    ticket = Ticket(code="A1", owner="ann", price=1500, tags=["vip"], created_at=created_at)
    await ticket.insert()

    loaded = await Ticket.get(ticket.id)
    assert loaded == ticket
    assert loaded is not None and loaded.created_at == created_at
    await store.check()


async def test_find_with_filters_sort_skip_limit_and_count(store: MongoStore) -> None:
    await _add_tickets()

    page = await Ticket.find(Ticket.owner == "ann").sort(-Ticket.price).skip(1).limit(2).to_list()
    assert [ticket.code for ticket in page] == ["T3", "T1"]
    assert await Ticket.find(Ticket.price >= 300).count() == 4
    assert await Ticket.find({"price": {"$in": [100, 600]}}).count() == 2
    assert (await Ticket.find_one(Ticket.code == "T4")).price == 400  # type: ignore[union-attr]
    assert await Ticket.find_one(Ticket.code == "missing") is None


async def test_update_operators(store: MongoStore) -> None:
    ticket = Ticket(code="U1", owner="ann", price=100, tags=["a", "b"])
    await ticket.insert()

    await Ticket.find_one(Ticket.id == ticket.id).update(
        {"$set": {"owner": "bob"}, "$inc": {"price": 50}, "$push": {"tags": "c"}}
    )
    await Ticket.find_one(Ticket.id == ticket.id).update({"$pull": {"tags": "a"}})

    loaded = await Ticket.get(ticket.id)
    assert loaded is not None
    assert (loaded.owner, loaded.price, loaded.tags) == ("bob", 150, ["b", "c"])


async def test_conditional_update_matches_only_the_current_version(store: MongoStore) -> None:
    ticket = Ticket(code="V1", owner="ann", price=100)
    await ticket.insert()

    async def set_price(price: int, version: int) -> bool:
        result = await Ticket.find_one(Ticket.id == ticket.id, Ticket.version == version).update(
            {"$set": {"price": price}, "$inc": {"version": 1}}
        )
        return result.matched_count == 1

    assert await set_price(200, version=0)
    assert not await set_price(300, version=0)  # a writer that read version 0 lost the race
    loaded = await Ticket.get(ticket.id)
    assert loaded is not None and (loaded.price, loaded.version) == (200, 1)


async def test_unique_index_raises_duplicate_key(store: MongoStore) -> None:
    await Ticket(code="D1", owner="ann", price=100).insert()

    with pytest.raises(DuplicateKeyError):
        await Ticket(code="D1", owner="bob", price=200).insert()
    assert await Ticket.find(Ticket.code == "D1").count() == 1


async def test_find_one_and_update_returns_the_requested_version(store: MongoStore) -> None:
    ticket = Ticket(code="F1", owner="ann", price=100)
    await ticket.insert()

    after = await Ticket.find_one(Ticket.code == "F1").update(
        {"$inc": {"price": 10}}, response_type=UpdateResponse.NEW_DOCUMENT
    )
    assert isinstance(after, Ticket) and after.price == 110

    collection = Ticket.get_pymongo_collection()
    before = await collection.find_one_and_update(
        {"code": "F1"}, {"$inc": {"price": 10}}, return_document=ReturnDocument.BEFORE
    )
    assert before is not None and before["price"] == 110
    missing = await collection.find_one_and_update(
        {"code": "nope"}, {"$inc": {"price": 10}}, return_document=ReturnDocument.AFTER
    )
    assert missing is None


async def test_databases_are_isolated(mongo_url: str) -> None:
    async with open_store(mongo_url, [Ticket]) as first:
        await Ticket(code="I1", owner="ann", price=100).insert()
        async with open_store(mongo_url, [Ticket]) as second:
            # The model now writes to the second store's database, which starts empty.
            assert await Ticket.find_all().count() == 0
            await Ticket(code="I2", owner="bob", price=100).insert()
            assert await second.database["tickets"].count_documents({}) == 1
        assert await first.database["tickets"].count_documents({}) == 1


async def test_unreachable_server_starts_unready_and_answers_503() -> None:
    store = MongoStore(
        url=f"mongodb://127.0.0.1:{free_port()}",
        database="nowhere",
        document_models=[NeverInitialized],
        timeout_seconds=0.3,
        retry_seconds=0.2,
    )
    started = time.monotonic()
    await store.start()
    try:
        assert time.monotonic() - started < 5
        with pytest.raises(MongoUnavailableError):
            await store.check()

        app = FastAPI()
        add_mongo_error_handler(app)

        @app.get("/names")
        async def names() -> list[str]:
            return [document.name for document in await NeverInitialized.find_all().to_list()]

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/names")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
    finally:
        await store.close()


async def test_an_index_whose_options_changed_is_rebuilt_once(mongo_url: str) -> None:
    database = f"test_{uuid.uuid4().hex[:12]}"
    try:
        for model in (Seat, SeatNextRelease):
            async with MongoStore(url=mongo_url, database=database, document_models=[model]):
                pass
        restarted = MongoStore(url=mongo_url, database=database, document_models=[SeatNextRelease])
        with COMMANDS.watching(database) as commands:
            async with restarted as store:  # a plain restart
                await store.check()
                built = index_shapes(await store.database["seats"].index_information())
    finally:
        await drop_databases(mongo_url, database)

    assert built["by_row"] == {"key": [("row", 1)], "sparse": True}
    assert named(commands, "dropIndexes") == []


@pytest.mark.parametrize(
    ("chosen", "used"),
    [
        (WriteConcern(), {"j": True}),
        (WriteConcern(w=1), {"w": 1, "j": True}),
        (WriteConcern(w="majority", wtimeout=5000), {"w": "majority", "wtimeout": 5000, "j": True}),
        (WriteConcern(j=False), {"j": False}),
        (WriteConcern(fsync=True), {"fsync": True}),
        (WriteConcern(w=0), {"w": 0}),
    ],
)
def test_writes_wait_for_the_journal_unless_the_url_says_how(
    chosen: WriteConcern, used: dict[str, object]
) -> None:
    assert journaled(chosen).document == used


async def test_a_store_writes_with_the_journal_and_keeps_the_urls_write_concern(mongo_url: str) -> None:
    separator = "&" if "?" in mongo_url else "/?"
    async with open_store(f"{mongo_url}{separator}w=1&wtimeoutMS=4000", [Ticket]) as store:
        await Ticket(code="J1", owner="ann", price=100).insert()
        assert Ticket.get_pymongo_collection().write_concern.document == {"w": 1, "wtimeout": 4000, "j": True}
        assert store.database.write_concern.document["j"] is True
