"""Live delivery to the WebSockets this replica holds.

Every replica receives every stored notification (over its own exclusive queue) and hands it to the
sockets of its recipient. Handing over never waits: each socket has a bounded queue drained by its
own sender, so a slow client only delays itself, and one that falls `queue_size` frames behind is
closed to catch up from history with `?since=`. A user holds a bounded number of sockets, a client
may send nothing larger than a few KB, and a replay sends a bounded number of frames.
"""

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from starlette.types import Message, Receive, Send
from starlette.websockets import WebSocketDisconnect

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


class Expiries:
    """When each socket's token expires, on one timer for them all: a timer per socket would cost
    each ~0.5 KB. A socket that ends first leaves a cancelled entry, dropped at its time or when
    cancelled entries are half of all."""

    def __init__(self) -> None:
        self._heap: list[list[Any]] = []  # [loop time, sequence, socket or None once cancelled]
        self._cancelled = 0
        self._sequence = itertools.count()  # orders entries of one time without comparing sockets
        self._timer: asyncio.TimerHandle | None = None

    def add(self, socket: "LiveSocket", delay: float) -> list[Any]:
        """Expires the socket in `delay` seconds; returns the entry to `cancel`."""
        loop = asyncio.get_running_loop()
        entry = [loop.time() + delay, next(self._sequence), socket]
        heapq.heappush(self._heap, entry)
        if self._heap[0] is entry:
            self._schedule(loop)
        return entry

    def cancel(self, entry: list[Any]) -> None:
        if entry[2] is None:
            return
        entry[2] = None
        self._cancelled += 1
        if self._cancelled > len(self._heap) // 2:
            self._heap = [kept for kept in self._heap if kept[2] is not None]
            heapq.heapify(self._heap)
            self._cancelled = 0

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_at(self._heap[0][0], self._expire_due) if self._heap else None

    def _expire_due(self) -> None:
        loop = asyncio.get_running_loop()
        while self._heap and self._heap[0][0] <= loop.time():
            _, _, socket = heapq.heappop(self._heap)
            if socket is None:
                self._cancelled -= 1
            else:
                socket.expire()
        self._timer = None
        self._schedule(loop)


class LiveSocket:
    """One open WebSocket of one user, with its own bounded backlog of frames to send.

    The task serving it listens for the client leaving, and is interrupted to end it sooner; another
    task exists only while there is something to send. An idle socket keeps nothing else (it speaks
    ASGI itself, without a `WebSocket` object): with thousands open, every object a socket holds
    costs memory and lengthens each full pass of the garbage collector, which stops all at once.
    """

    __slots__ = (
        "user_id",
        "queue_size",
        "max_inbound_bytes",
        "fell_behind",
        "token_expired",
        "sent_too_big",
        "_closing",
        "_history",
        "_backlog",
        "_recent",
        "_receive",
        "_send_message",
        "_sender",
        "_failure",
        "_ended",
        "_listening",
    )

    def __init__(
        self,
        *,
        user_id: str,
        queue_size: int,
        max_inbound_bytes: int,
        history: AsyncIterator[Notification] | None = None,
    ) -> None:
        self.user_id = user_id
        self.queue_size = queue_size
        self.max_inbound_bytes = max_inbound_bytes
        self.fell_behind = False
        self.token_expired = False
        self.sent_too_big = False
        self._closing: tuple[int, str] | None = None  # asked to close, with this code and reason
        self._history = history
        # Offered and not sent yet: before the socket is accepted, and while history is replayed.
        # Both made at first use and the backlog dropped once sent: most sockets are idle, and an
        # empty deque takes ~760 bytes.
        self._backlog: deque[Frame] | None = None
        self._recent: deque[str] | None = None
        # The accepted connection's ASGI callables, from `serve` on.
        self._receive: Receive | None = None
        self._send_message: Send | None = None
        self._sender: asyncio.Task[None] | None = None
        self._failure: Exception | None = None
        self._ended = False
        self._listening: asyncio.Task[None] | None = None  # the serving task, while it awaits the client

    def offer(self, frame: Frame) -> None:
        """Queues a frame without waiting; a socket too far behind is marked to be closed."""
        if self.fell_behind:
            return
        if self._backlog is None:
            self._backlog = deque()
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
        if self._send_message is not None and not self._ended and self._sender is None:
            self._sender = asyncio.create_task(self._send_backlog(), name="ws-send")

    def close(self, code: int, reason: str) -> None:
        """Ends the socket, closing it with `code`; the client resumes with `?since=`."""
        if self._closing is None:
            self._closing = (code, reason)
        self._end()

    def expire(self) -> None:
        """Ends the socket: the token it was opened with expired."""
        self.token_expired = True
        self._end()

    def _end(self) -> None:
        if self._ended:
            return
        self._ended = True
        if self._listening is not None:
            self._listening.cancel()  # taken back in `_listen`

    async def _send_backlog(self) -> None:
        """Sends the replayed history (the first time), then the backlog until it is empty."""
        try:
            if self._history is not None:
                history, self._history = self._history, None
                replayed = await self._replay(history)
                if self._backlog:
                    self._backlog = deque(frame for frame in self._backlog if frame.id not in replayed)
            while self._backlog:
                await self._send(self._backlog.popleft())
            self._backlog = None
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
            await self._send_text(truncated.model_dump_json())
        return replayed

    async def _send(self, frame: Frame) -> None:
        if self._recent is None:
            self._recent = deque(maxlen=RECENT_IDS)
        elif frame.id in self._recent:
            return
        self._recent.append(frame.id)
        await self._send_text(frame.text)

    async def _send_text(self, text: str) -> None:
        assert self._send_message is not None
        try:
            await self._send_message({"type": "websocket.send", "text": text})
        except OSError as exc:  # the server's word for a client gone, as Starlette's WebSocket reads it
            raise WebSocketDisconnect(1006) from exc

    async def serve(
        self,
        receive: Receive,
        send: Send,
        *,
        close_timeout: float,
        token_expires_at: float,
        expiries: Expiries,
    ) -> None:
        """Runs on the accepted connection until the client leaves, sending fails, the socket falls too
        far behind, or the token it was opened with expires (seconds since the epoch)."""
        self._receive, self._send_message = receive, send
        expiry = expiries.add(self, min(token_expires_at - time.time(), MAX_DELAY_SECONDS))
        if not self._ended and (self._history is not None or self._backlog):
            self._sender = asyncio.create_task(self._send_backlog(), name="ws-send")
        try:
            await self._listen()
        finally:
            self._end()  # nothing is sent from here on, even if the serving task was cancelled
            expiries.cancel(expiry)
            tasks = [self._sender] if self._sender is not None else []
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

    async def _listen(self) -> None:
        """Waits in the serving task itself, until the client goes away or sends a message over
        `max_inbound_bytes` (anything else it sends is ignored), or `_end` interrupts it: a task of its
        own for that would cost each idle socket ~1 KB more."""
        task = asyncio.current_task()
        assert task is not None and self._receive is not None
        if self._ended:
            return
        self._listening = task
        try:
            while (message := await self._receive())["type"] != "websocket.disconnect":
                if _size_of(message) > self.max_inbound_bytes:
                    self.sent_too_big = True
                    break
        except asyncio.CancelledError:
            # Ours (as asyncio.timeout does), unless the task was cancelled from outside as well.
            if not self._ended or task.uncancel() > 0:
                raise
        except Exception as exc:
            self._failure = exc
        finally:
            self._listening = None
        self._end()

    async def _close(self, code: int, reason: str, timeout: float) -> None:
        # A client that stopped reading may never take the close frame: don't wait on it for long.
        assert self._send_message is not None
        message = {"type": "websocket.close", "code": code, "reason": reason}
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._send_message(message), timeout)


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
        # A list, not a set: a user holds a few sockets, and an empty set takes 216 bytes.
        self._sockets: defaultdict[str, list[LiveSocket]] = defaultdict(list)
        self._empty = asyncio.Event()
        self._empty.set()
        self.draining = False  # shutting down: no new socket is taken
        self.expiries = Expiries()

    def add(self, socket: LiveSocket, *, limit: int) -> bool:
        """Adds the socket unless its user holds `limit` here already; returns whether it did."""
        if len(self._sockets.get(socket.user_id, ())) >= limit:
            return False
        self._sockets[socket.user_id].append(socket)
        self._empty.clear()
        return True

    def discard(self, socket: LiveSocket) -> None:
        sockets = self._sockets.get(socket.user_id)
        if sockets is not None:
            if socket in sockets:
                sockets.remove(socket)
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
        """Hands each notification to every socket of its recipients (every socket, if it is for
        everyone), its frame serialized once for all of them."""
        for message in notifications:
            if message.recipients == [EVERYONE]:
                targets = self.sockets()
            else:
                targets = [
                    socket for recipient in message.recipients for socket in self._sockets.get(recipient, ())
                ]
            if targets:
                frame = Frame.from_stored(message)
                for socket in targets:
                    socket.offer(frame)
