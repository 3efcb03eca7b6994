"""Writing a document only if its `_id` (or another unique key) is free: the idempotent write every
consumer here relies on."""

from collections.abc import Sequence

from beanie import Document
from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000


async def insert_new(model: type[Document], documents: Sequence[Document]) -> set[int]:
    """Inserts each document whose unique keys are free; returns the positions of those already
    stored, which are left as they are.

    For documents whose identity is a unique key (a booking's attendance, a delivery, a message
    marked done, a part of a message's notifications): one unordered insert of them all, the
    duplicates of a redelivery reported and skipped, where an upsert each would cost a round trip each.
    """
    try:
        await model.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        failures = error.details["writeErrors"]
        if any(failure["code"] != DUPLICATE_KEY for failure in failures) or error.details.get(
            "writeConcernErrors"
        ):
            raise
        return {failure["index"] for failure in failures}
    return set()
