"""Live delivery to the WebSockets this replica holds.

Every replica receives every stored notification (over its own exclusive queue) and hands it to the
sockets of its recipient. Handing over never waits: each socket has a bounded queue drained by its
own sender, so a slow client only delays itself, and one that falls `queue_size` frames behind is
closed to catch up from history with `?since=`. A user holds a bounded number of sockets, a client
may send nothing larger than a few KB, and a replay sends a bounded number of frames.
"""

import asyncio
import contextlib
import logging
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

from notification_service.messages import StoredNotification
from notification_service.models import EVERYONE, Notification
from notification_service.schemas import NotificationFrame
from notification_service.service import ReplayTooLongError
from shared.mongo import MONGO_DOWN_ERRORS

logger = logging.getLogger(__name__)

UNAUTHORIZED = 4401
TOO_MANY_SOCKETS = 4429
TRY_AGAIN_LATER = 1013
INTERNAL_ERROR = 1011
MESSAGE_TOO_BIG = 1009
SERVICE_RESTART = 1012
# The event loop's timers cannot wait longer (a token without expiry is never closed for it).
MAX_DELAY_SECONDS = 86_400 * 365
# Ids of recently sent frames a socket remembers, to drop a live frame announced twice.
RECENT_IDS = 256


class ReplayTruncatedFrame(BaseModel):
    """Sent instead of the replay when more than the limit were missed (as Centrifugo's
    `recovered: false`): the client reloads its history with `GET /notifications`; live frames follow."""

    type: Literal["replay_truncated"] = "replay_truncated"
    since: str
    limit: int
    detail: str


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
    """One open WebSocket of one user, with its own bounded backlog of frames to send.

    A task listens for the client leaving; another exists only while there is something to send.
    An idle socket keeps nothing else: with thousands open, every object a socket holds lengthens
    each full pass of the garbage collector, which stops all of them at once.
    """

    def __init__(
        self,
        websocket: WebSocket,
        *,
        user_id: str,
        queue_size: int,
        max_inbound_bytes: int,
        history: AsyncIterator[Notification] | None = None,
    ) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.queue_size = queue_size
        self.max_inbound_bytes = max_inbound_bytes
        self.fell_behind = False
        self.token_expired = False
        self.sent_too_big = False
        self._closing: tuple[int, str] | None = None  # asked to close, with this code and reason
        self._history = history
        # Offered and not sent yet: before the socket is accepted, and while history is replayed.
        self._backlog: deque[Frame] = deque()
        self._recent: deque[str] = deque(maxlen=RECENT_IDS)
        self._serving = False
        self._sender: asyncio.Task[None] | None = None
        self._failure: Exception | None = None
        self._ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def offer(self, frame: Frame) -> None:
        """Queues a frame without waiting; a socket too far behind is marked to be closed."""
        if self.fell_behind:
            return
        if len(self._backlog) >= self.queue_size:
            logger.warning(
                "Closing a WebSocket of user %s: more than %d frames behind", self.user_id, self.queue_size
            )
            self.fell_behind = True
            if self._sender is not None:
                self._sender.cancel()  # it may wait on a client that stopped reading
            self._end()
            return
        self._backlog.append(frame)
        if self._serving and self._sender is None:
            self._sender = asyncio.create_task(self._send_backlog(), name="ws-send")

    def close(self, code: int, reason: str) -> None:
        """Ends the socket, closing it with `code`; the client resumes with `?since=`."""
        if self._closing is None:
            self._closing = (code, reason)
        self._end()

    def _expire(self) -> None:
        self.token_expired = True
        self._end()

    def _end(self) -> None:
        if not self._ended.done():
            self._ended.set_result(None)

    async def _send_backlog(self) -> None:
        """Sends the replayed history (the first time), then the backlog until it is empty."""
        try:
            if self._history is not None:
                history, self._history = self._history, None
                replayed = await self._replay(history)
                self._backlog = deque(frame for frame in self._backlog if frame.id not in replayed)
            while self._backlog:
                await self._send(self._backlog.popleft())
        except Exception as exc:  # the client leaving included: the socket is done either way
            self._failure = exc
            self._end()
        finally:
            self._sender = None

    async def _replay(self, history: AsyncIterator[Notification]) -> set[str]:
        """Sends what the client missed, or a `replay_truncated` frame if that is too much; returns the
        ids sent."""
        replayed: set[str] = set()
        try:
            async for notification in history:
                replayed.add(notification.id)
                await self._send(Frame.from_history(notification))
        except ReplayTooLongError as too_long:
            truncated = ReplayTruncatedFrame(since=too_long.since, limit=too_long.limit, detail=str(too_long))
            await self.websocket.send_text(truncated.model_dump_json())
        return replayed

    async def _send(self, frame: Frame) -> None:
        if frame.id in self._recent:
            return
        self._recent.append(frame.id)
        await self.websocket.send_text(frame.text)

    async def wait_closed(self) -> None:
        """Returns when the client goes away or sends a message over `max_inbound_bytes`; anything
        else it sends is ignored."""
        while (message := await self.websocket.receive())["type"] != "websocket.disconnect":
            if _size_of(message) > self.max_inbound_bytes:
                self.sent_too_big = True
                return

    async def serve(self, *, close_timeout: float, token_expires_at: float) -> None:
        """Runs until the client leaves, sending fails, the socket falls too far behind, or the
        token it was opened with expires (seconds since the epoch)."""
        leaving = asyncio.create_task(self.wait_closed(), name="ws-receive")
        leaving.add_done_callback(lambda _: self._end())
        expiry = asyncio.get_running_loop().call_later(
            min(token_expires_at - time.time(), MAX_DELAY_SECONDS), self._expire
        )
        self._serving = True
        if self._history is not None or self._backlog:
            self._sender = asyncio.create_task(self._send_backlog(), name="ws-send")
        try:
            await self._ended
        finally:
            expiry.cancel()
            self._serving = False
            tasks = [task for task in (leaving, self._sender) if task is not None]
            for task in tasks:
                task.cancel()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        failure = next((outcome for outcome in (self._failure, *outcomes) if _is_failure(outcome)), None)
        if self._closing is not None:
            await self._close(*self._closing, close_timeout)
        elif self.token_expired:
            await self._close(
                UNAUTHORIZED, "Token expired; reconnect with a new token and ?since=<last id>", close_timeout
            )
        elif self.fell_behind:
            await self._close(
                TRY_AGAIN_LATER, "Too far behind; reconnect with ?since=<last id>", close_timeout
            )
        elif self.sent_too_big:
            await self._close(
                MESSAGE_TOO_BIG, f"Message too big: at most {self.max_inbound_bytes} bytes", close_timeout
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


def _size_of(message: Message) -> int:
    """The bytes of a message from the client, text or binary."""
    if message.get("bytes") is not None:
        return len(message["bytes"])
    return len((message.get("text") or "").encode())


def _is_failure(outcome: BaseException | None) -> bool:
    """Whether the outcome is an error to report, not the client leaving (nor a task cancelled)."""
    return isinstance(outcome, Exception) and not isinstance(outcome, WebSocketDisconnect)


class LiveHub:
    """The sockets this replica holds, by user."""

    def __init__(self) -> None:
        self._sockets: defaultdict[str, set[LiveSocket]] = defaultdict(set)
        self._empty = asyncio.Event()
        self._empty.set()
        self.draining = False  # shutting down: no new socket is taken

    def add(self, socket: LiveSocket, *, limit: int) -> bool:
        """Adds the socket unless its user holds `limit` here already; returns whether it did."""
        if len(self._sockets.get(socket.user_id, ())) >= limit:
            return False
        self._sockets[socket.user_id].add(socket)
        self._empty.clear()
        return True

    def discard(self, socket: LiveSocket) -> None:
        sockets = self._sockets.get(socket.user_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[socket.user_id]
        if not self._sockets:
            self._empty.set()

    def sockets(self) -> list[LiveSocket]:
        return [socket for sockets in self._sockets.values() for socket in sockets]

    async def emptied(self) -> None:
        """Returns once no socket is held here."""
        await self._empty.wait()

    def resume_all(self) -> None:
        """Closes every socket with 1012, for its client to resume with `?since=`: the live frames
        routed while this replica's live queue was gone (a broker cut) are lost, not their history."""
        sockets = self.sockets()
        logger.warning("Live feed interrupted: closing %d WebSockets to resume from history", len(sockets))
        for socket in sockets:
            socket.close(SERVICE_RESTART, "Live feed interrupted; reconnect with ?since=<last id>")

    @property
    def connections(self) -> int:
        return sum(len(sockets) for sockets in self._sockets.values())

    def deliver(self, notifications: Iterable[StoredNotification]) -> None:
        """Hands each notification to every socket of its recipient (every socket, if it is for everyone).

        A notification stored once for many recipients comes once per recipient, under one id: its
        frame is serialized once for all of them.
        """
        frames: dict[str, Frame] = {}
        for message in notifications:
            if message.recipient == EVERYONE:
                targets = self.sockets()
            else:
                targets = list(self._sockets.get(message.recipient, ()))
            if not targets:
                continue
            frame = frames.get(message.notification_id)
            if frame is None:
                frame = frames[message.notification_id] = Frame.from_stored(message)
            for socket in targets:
                socket.offer(frame)
