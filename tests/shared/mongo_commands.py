"""What this process's MongoDB clients send: index changes across restarts, and list queries to explain."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from beanie import Document
from pymongo import IndexModel, monitoring
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

# The server's answer to a command it does not know.
_COMMAND_NOT_FOUND = 59


class CommandLog(monitoring.CommandListener):
    """Keeps the commands sent to the databases being watched, by any client made after it registered.

    Registered once for the whole process (pymongo has no way to unregister), so it keeps nothing
    unless a test is watching that database.
    """

    def __init__(self) -> None:
        self._watched: dict[str, list[dict[str, Any]]] = {}

    @contextmanager
    def watching(self, database: str) -> Iterator[list[dict[str, Any]]]:
        """Yields the list that the commands sent to `database` are appended to meanwhile."""
        commands: list[dict[str, Any]] = []
        self._watched[database] = commands
        try:
            yield commands
        finally:
            del self._watched[database]

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        commands = self._watched.get(event.database_name)
        if commands is not None:
            commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


COMMANDS = CommandLog()
monitoring.register(COMMANDS)


def named(commands: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Returns the commands of one kind, e.g. `find` or `dropIndexes`."""
    return [command for command in commands if name in command]


def sorted_finds(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Returns the `find`s that sort, as a listing does (the outbox relay's lookups do not)."""
    return [command for command in named(commands, "find") if "sort" in command]


def index_shapes(information: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Returns each index's keys and options as `index_information()` gives them, minus the version."""
    return {
        name: {key: value for key, value in details.items() if key != "v"}
        for name, details in information.items()
    }


def declared_shapes(indexes: list[IndexModel]) -> dict[str, dict[str, Any]]:
    """Returns what `index_shapes` should read once the declared `indexes` are built."""
    shapes = {"_id_": {"key": [("_id", 1)]}}
    for index in indexes:
        document = dict(index.document)
        name = document.pop("name")
        shapes[name] = {**document, "key": list(document["key"].items())}
    return shapes


def as_previous_release(index: IndexModel) -> IndexModel:
    """Returns `index` with the same name and keys but other options, as an earlier release declared it."""
    options = {key: value for key, value in index.document.items() if key != "key"}
    options["sparse"] = not options.get("sparse", False)
    if "expireAfterSeconds" in options:
        options["expireAfterSeconds"] += 3600
    return IndexModel(list(index.document["key"].items()), **options)


async def winning_indexes(
    collection: AsyncCollection[dict[str, Any]], find: dict[str, Any]
) -> set[str] | None:
    """Returns the indexes the plan for a `find` command scans, or None if the server cannot explain."""
    query = {key: find[key] for key in ("find", "filter", "sort", "hint", "skip", "limit") if key in find}
    try:
        explained = await collection.database.command("explain", query, verbosity="queryPlanner")
    except OperationFailure as exc:
        if exc.code == _COMMAND_NOT_FOUND:
            return None
        raise
    return set(_scanned_indexes(explained["queryPlanner"]["winningPlan"]))


def _scanned_indexes(stage: dict[str, Any]) -> Iterator[str]:
    if "indexName" in stage:
        yield stage["indexName"]
    for child in [stage.get("inputStage"), *stage.get("inputStages", [])]:
        if child is not None:
            yield from _scanned_indexes(child)


async def assert_listed_in_order_from(find: dict[str, Any], model: type[Document], index: str) -> None:
    """Asserts a listing's `find` sorts by the last keys of `index`, ending in `_id`, and reads that index.

    `_id` last is the tie-breaker, so that pages neither repeat nor skip a document; the plan is
    checked where the server explains its plans.
    """
    sort = list(find["sort"].items())
    assert sort[-1][0] == "_id"
    keys = {
        declared.document["name"]: list(declared.document["key"].items())
        for declared in model.Settings.indexes
    }
    assert keys[index][-len(sort) :] == sort
    plan = await winning_indexes(model.get_pymongo_collection(), find)
    if plan is not None:
        assert plan == {index}
