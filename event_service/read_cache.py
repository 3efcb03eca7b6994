"""The public view of recently read events, kept in memory and kept current by the `event.*` stream.

`GET /events/{id}` is the hottest route, so each replica answers it from memory once it has read the
event. Every change, on any replica, publishes an `event.*` message carrying the new version; each
replica hears them all on a queue of its own and from then on refuses any view older than that
version, so the next read goes to the database. A view is only trusted while the broker connection
that would bring those messages is up, and only within the connection epoch it was read in: a cut
may have hidden a change.
"""

from collections import OrderedDict
from dataclasses import dataclass
from uuid import uuid4

from event_service.etags import etag_of
from event_service.schemas import EventPublic
from shared.messages import EventSnapshot
from shared.messaging import Broker, Consumer


@dataclass(frozen=True, slots=True)
class CachedEvent:
    version: int
    body: bytes  # the JSON the API answers
    # The answer's `ETag`, `Content-Length` and `Content-Type`, encoded once with the body.
    headers: tuple[tuple[bytes, bytes], ...]


def _viewed(event: EventPublic) -> CachedEvent:
    """The view of `event` the API answers: its JSON, and the headers that go with it."""
    body = event.model_dump_json().encode()
    headers = (
        (b"etag", etag_of(event.version).encode()),
        (b"content-length", str(len(body)).encode()),
        (b"content-type", b"application/json"),
    )
    return CachedEvent(version=event.version, body=body, headers=headers)


@dataclass(frozen=True, slots=True)
class _Entry:
    epoch: int
    version: int  # the newest version known; views older than it are refused
    view: CachedEvent | None  # None until a view of at least `version` is read


class EventReadCache:
    def __init__(self, broker: Broker, *, size: int) -> None:
        self.broker = broker
        self.size = size
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def consumer(self) -> Consumer:
        """This replica's own queue of every event change, gone when its connection closes."""
        return Consumer(
            queue=f"event_service.read-cache.{uuid4().hex[:12]}",
            handlers=[self.on_event_changed],
            exclusive=True,
            max_attempts=1,
        )

    @property
    def epoch(self) -> int | None:
        """The epoch a read happens in, or None while no change could be heard (nothing is cached)."""
        return self.broker.epoch if self.size and self.broker.is_connected else None

    def get(self, event_id: str) -> CachedEvent | None:
        entry = self._entries.get(event_id)
        if entry is None or entry.epoch != self.epoch:
            return None
        return entry.view

    def offer(self, event: EventPublic, epoch: int | None) -> CachedEvent:
        """Keeps a view read in `epoch` (taken before reading), unless a newer version is known."""
        view = _viewed(event)
        if epoch is not None and epoch == self.epoch:
            known = self._entries.get(event.id)
            if known is None or known.epoch != epoch or known.version <= event.version:
                self._put(event.id, _Entry(epoch, event.version, view))
        return view

    def supersede(self, event_id: str, version: int) -> None:
        """Refuses from now on any view of `event_id` older than `version` (a change happened)."""
        epoch = self.epoch
        if epoch is None:
            return
        known = self._entries.get(event_id)
        if known is None or known.epoch != epoch or known.version < version:
            self._put(event_id, _Entry(epoch, version, None))

    async def on_event_changed(self, message: EventSnapshot) -> None:
        """A change made on any replica makes every view of the event older than it stale."""
        self.supersede(message.event_id, message.version)

    def _put(self, event_id: str, entry: _Entry) -> None:
        self._entries[event_id] = entry
        self._entries.move_to_end(event_id)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
