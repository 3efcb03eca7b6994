"""Live delivery to the WebSockets this replica holds.

Every replica receives every stored notification (over its own exclusive queue) and hands it to the
sockets of its recipient. Handing over never waits: each socket has a bounded queue drained by its
own sender, so a slow client only delays itself, and one that falls `queue_size` frames behind is
closed to catch up from history with `?since=`.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.websockets import WebSocket, WebSocketDisconnect

from notification_service.models import EVERYONE, Notification
from notification_service.schemas import NotificationFrame
from shared.messages import StoredNotification
from shared.mongo import MONGO_DOWN_ERRORS

logger = logging.getLogger(__name__)

TRY_AGAIN_LATER = 1013
INTERNAL_ERROR = 1011
# Ids of recently sent frames a socket remembers, to drop a live frame announced twice.
RECENT_IDS = 256


@dataclass(frozen=True)
class Frame:
    """A notification serialized once, however many sockets it goes to."""

    id: str
    text: str

    @classmethod
    def of(cls, frame: NotificationFrame) -> "Frame":
        return cls(id=frame.id, text=frame.model_dump_json())

    @classmethod
    def from_stored(cls, message: StoredNotification) -> "Frame":
        return cls.of(
            NotificationFrame(
                id=message.notification_id,
                type=message.type,
                title=message.title,
                body=message.body,
                data=message.data,
                created_at=message.created_at,
            )
        )

    @classmethod
    def from_history(cls, notification: Notification) -> "Frame":
        return cls.of(NotificationFrame.model_validate(notification.model_dump()))


class LiveSocket:
    """One open WebSocket of one user, with its own bounded queue and sender."""

    def __init__(
        self,
        websocket: WebSocket,
        *,
        user_id: str,
        queue_size: int,
        history: AsyncIterator[Notification] | None = None,
    ) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.queue_size = queue_size
        self.fell_behind = asyncio.Event()
        self._history = history
        self._queue: asyncio.Queue[Frame] = asyncio.Queue(maxsize=queue_size)
        # While history is replayed, live frames wait here so that they follow it.
        self._held: list[Frame] | None = [] if history is not None else None
        self._recent: deque[str] = deque(maxlen=RECENT_IDS)

    def offer(self, frame: Frame) -> None:
        """Queues a frame without waiting; a socket too far behind is marked to be closed."""
        if self.fell_behind.is_set():
            return
        if self._held is not None:
            if len(self._held) < self.queue_size:
                self._held.append(frame)
                return
        else:
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(frame)
                return
        logger.warning(
            "Closing a WebSocket of user %s: more than %d frames behind", self.user_id, self.queue_size
        )
        self.fell_behind.set()

    async def send_frames(self) -> None:
        """Sends the replayed history, then the frames held meanwhile, then live frames as they come."""
        if self._history is not None:
            replayed: set[str] = set()
            async for notification in self._history:
                replayed.add(notification.id)
                await self._send(Frame.from_history(notification))
            held, self._held = self._held or [], None
            for frame in held:
                if frame.id not in replayed:
                    await self._send(frame)
        while True:
            await self._send(await self._queue.get())

    async def _send(self, frame: Frame) -> None:
        if frame.id in self._recent:
            return
        self._recent.append(frame.id)
        await self.websocket.send_text(frame.text)

    async def wait_closed(self) -> None:
        """Returns when the client goes away; anything it sends is ignored."""
        while (await self.websocket.receive())["type"] != "websocket.disconnect":
            pass

    async def serve(self, *, close_timeout: float) -> None:
        """Runs until the client leaves, sending fails, or the socket falls too far behind."""
        tasks = [
            asyncio.create_task(self.send_frames(), name="ws-send"),
            asyncio.create_task(self.wait_closed(), name="ws-receive"),
            asyncio.create_task(self.fell_behind.wait(), name="ws-behind"),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        failure = next(
            (o for o in outcomes if isinstance(o, Exception) and not isinstance(o, WebSocketDisconnect)), None
        )
        if self.fell_behind.is_set():
            await self._close(
                TRY_AGAIN_LATER, "Too far behind; reconnect with ?since=<last id>", close_timeout
            )
        elif isinstance(failure, MONGO_DOWN_ERRORS):
            logger.warning("Closing a WebSocket of user %s: the database is down (%r)", self.user_id, failure)
            await self._close(
                TRY_AGAIN_LATER, "The database is unavailable; reconnect shortly", close_timeout
            )
        elif failure is not None:
            logger.error("WebSocket of user %s failed", self.user_id, exc_info=failure)
            await self._close(INTERNAL_ERROR, "Internal error", close_timeout)

    async def _close(self, code: int, reason: str, timeout: float) -> None:
        # A client that stopped reading may never take the close frame: don't wait on it for long.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.websocket.close(code, reason), timeout)


class LiveHub:
    """The sockets this replica holds, by user."""

    def __init__(self) -> None:
        self._sockets: defaultdict[str, set[LiveSocket]] = defaultdict(set)

    def add(self, socket: LiveSocket) -> None:
        self._sockets[socket.user_id].add(socket)

    def discard(self, socket: LiveSocket) -> None:
        sockets = self._sockets.get(socket.user_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[socket.user_id]

    @property
    def connections(self) -> int:
        return sum(len(sockets) for sockets in self._sockets.values())

    def deliver(self, message: StoredNotification) -> None:
        """Hands the notification to every socket of its recipient (every socket, if it is for everyone)."""
        if message.recipient == EVERYONE:
            targets = [socket for sockets in self._sockets.values() for socket in sockets]
        else:
            targets = list(self._sockets.get(message.recipient, ()))
        if targets:
            frame = Frame.from_stored(message)
            for socket in targets:
                socket.offer(frame)
