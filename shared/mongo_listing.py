"""A MongoDB collection listed a page at a time, read in order from an index, never sorted in memory."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from beanie import Document
from pymongo import ASCENDING, IndexModel

D = TypeVar("D", bound=Document)


@dataclass(frozen=True)
class Listing:
    """One sort order (ending in `_id`, so documents that tie keep one order and pages neither repeat
    nor skip one), its index, and for each field a listing may be filtered on, an index that starts
    with that field and then holds the order."""

    order: list[tuple[str, int]]
    index: str
    # field -> the name of its index; a listing filtered on several reads the first one's.
    filtered: Mapping[str, str] = field(default_factory=dict)

    def indexes(self) -> list[IndexModel]:
        """The indexes to declare in the document's `Settings`."""
        return [
            IndexModel(self.order, name=self.index),
            *(
                IndexModel([(name, ASCENDING), *self.order], name=index)
                for name, index in self.filtered.items()
            ),
        ]

    def index_for(self, conditions: Mapping[str, Any]) -> str:
        """Names the index that reads the documents matching `conditions` in order.

        Named, not left to the planner, which may pick another index (one that every document matches,
        say) and sort every match in memory.
        """
        return next((index for name, index in self.filtered.items() if name in conditions), self.index)

    async def page(
        self,
        model: type[D],
        conditions: Mapping[str, Any],
        *,
        offset: int,
        limit: int,
    ) -> tuple[list[D], int]:
        """Returns the page of documents matching `conditions`, in order, and how many match in all."""
        hint = self.index_for(conditions)
        page = (
            await model.find(dict(conditions), hint=hint).sort(self.order).skip(offset).limit(limit).to_list()
        )
        return page, await model.find(dict(conditions), hint=hint).count()

    async def page_of_fields(
        self,
        model: type[Document],
        conditions: Mapping[str, Any],
        *,
        fields: Mapping[str, bool],
        offset: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """Returns the page `page` would, but as the stored `fields` of each document (and its `_id`).

        Read with PyMongo: building each whole document, to show a few of its fields, cost a page of
        twenty more time than the rest of the request together.
        """
        collection = model.get_pymongo_collection()
        hint = self.index_for(conditions)
        cursor = (
            collection.find(dict(conditions), dict(fields), hint=hint)
            .sort(self.order)
            .skip(offset)
            .limit(limit)
        )
        return await cursor.to_list(), await collection.count_documents(dict(conditions), hint=hint)
