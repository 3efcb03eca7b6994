"""Why the Mongo outbox relay leases with a find and an update, not one findAndModify.

`python -m bench.find_and_modify` starts the embedded server and prints the time of each way of
leasing one document at growing collection sizes. On the embedded server (SecantusDB 0.7.0b3),
findAndModify grows with the collection even when it matches by `_id`; the pair does not.
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

SIZES = (10, 300, 3_000, 10_000)
ROUNDS = 20
PENDING = {"outbox.id": {"$gt": ""}}


Collection = AsyncCollection[dict[str, Any]]


async def _find_and_modify(collection: Collection) -> None:
    await collection.find_one_and_update(PENDING, {"$set": {"lease": datetime.now(UTC)}})


async def _find_then_update(collection: Collection) -> None:
    found = await collection.find_one(PENDING, projection={"outbox": True})
    assert found is not None
    await collection.update_one({"_id": found["_id"]}, {"$set": {"lease": datetime.now(UTC)}})


async def _per_call_ms(lease: Callable[[Collection], Awaitable[None]], collection: Collection) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        await lease(collection)
    return (time.perf_counter() - started) / ROUNDS * 1000


async def _fill(collection: Collection, size: int) -> None:
    """`size` documents of which the last has a pending message, as a relay finds them."""
    await collection.create_index("outbox.id")
    documents = [{"_id": index, "payload": "x" * 500, "outbox": []} for index in range(size)]
    documents[-1]["outbox"] = [{"id": "message"}]
    await collection.insert_many(documents)


async def _measure(url: str) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    print(f"{'documents':>10} {'findAndModify':>15} {'find + update':>15}")
    try:
        for size in SIZES:
            collection = client["bench_find_and_modify"][f"size_{size}"]
            await _fill(collection, size)
            one = await _per_call_ms(_find_and_modify, collection)
            pair = await _per_call_ms(_find_then_update, collection)
            print(f"{size:>10,} {one:>12.2f} ms {pair:>12.2f} ms", flush=True)
        await client.drop_database("bench_find_and_modify")
    finally:
        await client.close()


async def main() -> None:
    async with EmbeddedMongo(port=free_port()) as server:
        await _measure(server.url)


if __name__ == "__main__":
    asyncio.run(main())
