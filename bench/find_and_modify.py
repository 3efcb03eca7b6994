"""Why the Mongo outbox relay leases with a find and an update, not one findAndModify, and why the
update matches by `_id` alone among what an index covers.

`python -m bench.find_and_modify` starts the embedded server and prints the time of each way of
leasing one document at growing collection sizes, half of the documents with a pending message. On
the embedded server (SecantusDB 0.7.0b3), findAndModify grows with the collection even when it
matches by `_id`; so does an update whose filter also names the pending index's field
(`outbox.id`): the server then scans every pending document. An update by `_id` and the outbox's
first message does not grow.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from scripts.embedded_mongo import EmbeddedMongo
from tests.tcp_proxy import free_port

SIZES = (100, 300, 3_000, 10_000)
ROUNDS = 20
PENDING = {"outbox.id": {"$gt": ""}}


Collection = AsyncCollection[dict[str, Any]]


async def _find_and_modify(collection: Collection) -> None:
    await collection.find_one_and_update(PENDING, {"$set": {"lease": datetime.now(UTC)}})


def _lease(filter_of: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[Collection], Awaitable[None]]:
    """A lease of one of the pending documents found beforehand (`_found`), as the relay leases each
    document its query of a batch found: the query is timed apart."""

    async def lease(collection: Collection) -> None:
        found = _found.pop()
        await collection.update_one(filter_of(found), {"$set": {"lease": datetime.now(UTC)}})

    return lease


_found: list[dict[str, Any]] = []
_by_id = _lease(lambda found: {"_id": found["_id"], "outbox.0.id": found["outbox"][0]["id"]})
_by_id_and_index = _lease(
    lambda found: {**PENDING, "_id": found["_id"], "outbox.0.id": found["outbox"][0]["id"]}
)


async def _find_batch(collection: Collection) -> None:
    await collection.find(PENDING, projection={"outbox": True}).to_list(100)


async def _per_call_ms(lease: Callable[[Collection], Awaitable[None]], collection: Collection) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        await lease(collection)
    return (time.perf_counter() - started) / ROUNDS * 1000


async def _fill(collection: Collection, size: int) -> None:
    """`size` documents, every other one with a pending message, as a relay finds them after a burst."""
    await collection.create_index("outbox.id")
    documents = [
        {"_id": index, "payload": "x" * 500, "outbox": [{"id": f"message {index}"}] if index % 2 else []}
        for index in range(size)
    ]
    await collection.insert_many(documents)


async def _measure(url: str) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    columns = ("findAndModify", "find 100", "update by _id", "... and outbox.id")
    print(f"{'documents':>10}" + "".join(f"{column:>20}" for column in columns))
    try:
        for size in SIZES:
            collection = client["bench_find_and_modify"][f"size_{size}"]
            await _fill(collection, size)
            times = []
            for way in (_find_and_modify, _find_batch, _by_id, _by_id_and_index):
                _found[:] = await collection.find(PENDING, projection={"outbox": True}).to_list(ROUNDS)
                times.append(await _per_call_ms(way, collection))
            print(f"{size:>10,}" + "".join(f"{ms:>17.2f} ms" for ms in times), flush=True)
        await client.drop_database("bench_find_and_modify")
    finally:
        await client.close()


async def main() -> None:
    async with EmbeddedMongo(port=free_port()) as server:
        await _measure(server.url)


if __name__ == "__main__":
    asyncio.run(main())
