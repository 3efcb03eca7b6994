"""Reading a long cursor a batch at a time, each batch within its own time limit.

A time limit set around a whole read (`pymongo.timeout`, or the client's `timeoutMS` applied to a
`to_list()` call) bounds the cursor's whole lifetime: a million attendees read in a thousand batches
would be cut off after the first few seconds. Here each batch gets the limit afresh, so a read of any
length goes on as long as every batch comes back in time.
"""

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pymongo
from pymongo.asynchronous.cursor import AsyncCursor


async def batches_of(
    cursor: AsyncCursor[Mapping[str, Any]], *, size: int, timeout: float
) -> AsyncIterator[list[Mapping[str, Any]]]:
    """Yields the cursor's documents `size` at a time (the last batch may be shorter); closes it."""
    async with cursor:
        while True:
            with pymongo.timeout(timeout):
                batch = await cursor.to_list(size)
            if not batch:
                return
            yield batch
