"""Writing a document only if its `_id` is free: the idempotent write every consumer here relies on."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000


async def insert_new(collection: AsyncCollection[dict[str, Any]], documents: list[dict[str, Any]]) -> None:
    """Inserts each document whose `_id` is free; one already stored is left as it is.

    For documents whose identity is their `_id` (a booking's attendance, a delivery, a message
    marked done): one unordered insert of them all, the duplicates of a redelivery reported and
    ignored, where an upsert each would cost a round trip each.
    """
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        failures = [failure for failure in error.details["writeErrors"] if failure["code"] != DUPLICATE_KEY]
        if failures or error.details.get("writeConcernErrors"):
            raise
