"""Writing a document only if its `_id` is free: the idempotent write every consumer here relies on."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000


async def insert_new(collection: AsyncCollection[dict[str, Any]], documents: list[dict[str, Any]]) -> None:
    """Inserts each document whose `_id` is free; one already stored is left as it is.

    Keyed by `_id` alone, each costs one index lookup, in MongoDB and in the in-memory store alike
    (which checks a secondary unique index, or finds an upsert's match, by scanning the collection).
    """
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        failures = [failure for failure in error.details["writeErrors"] if failure["code"] != DUPLICATE_KEY]
        if failures or error.details.get("writeConcernErrors"):
            raise
