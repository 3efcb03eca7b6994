"""Reading a long cursor a batch at a time, each batch within its own time limit.

A time limit set around a whole read (`pymongo.timeout`, or the client's `timeoutMS` applied to a
`to_list()` call) bounds the cursor's whole lifetime: a million attendees read in a thousand batches
would be cut off after the first few seconds. Here each batch gets the limit afresh, so a read of any
length goes on as long as every batch comes back in time.
"""

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pymongo
from pymongo.asynchronous.cursor import AsyncCursor


async def batches_of(
    cursor: AsyncCursor[Mapping[str, Any]], *, size: int, timeout: float
) -> AsyncIterator[list[Mapping[str, Any]]]:
    """Yields the cursor's documents `size` at a time (the last batch may be shorter); closes it.

    The next batch is asked for as soon as one is yielded, so the server reads it while the caller
    handles this one: telling 3,000 attendees, each later batch of 1,000 was there by the time the
    part before it was stored (25-45 ms a part), where reading one after the other cost as long again.
    """

    async def next_batch() -> list[Mapping[str, Any]]:
        with pymongo.timeout(timeout):
            return await cursor.to_list(size)

    async with cursor:
        ahead = asyncio.ensure_future(next_batch())
        try:
            while batch := await ahead:
                ahead = asyncio.ensure_future(next_batch())
                yield batch
        finally:
            ahead.cancel()  # the caller stopped early: the read ahead is not wanted
            await asyncio.wait([ahead])
            if not ahead.cancelled():
                ahead.exception()  # retrieved: an error of a read nobody wanted is not reported
