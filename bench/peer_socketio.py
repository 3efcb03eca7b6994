"""The peer the live feed is measured beside: event alerts over python-socketio, the usual Python choice.

`python -m bench.peer_socketio` with PORT, EVENT_EXCHANGE, RABBITMQ_URL and JWKS_URL set. A Socket.IO
`AsyncServer` (ASGI) in front of a service app of its own (`create_service_app`: `/ready`, and the
garbage collector spared what start-up made, as in every service), served exactly as the services are
(`shared.app.serve`: uvicorn with the same settings, one process), and built the way a Python team
would build live alerts with it:

- a client connects with `auth={"token": <access token>}`, verified as the notification service
  verifies it (`shared.auth.TokenVerifier`: the user service's public key from its JWKS, a verified
  token remembered for a few seconds); a missing or invalid one is refused. The socket joins its
  user's room, and the room of each event the user attends;
- it consumes the run's exchange on a queue of its own: `booking.confirmed` records that the user
  attends the event, adds the user's sockets to the event's room and tells the booker (and the
  organizer); `event.updated` is emitted to the event's room.

Each alert is one `notification` event whose argument is a frame of the notification service's own
shape and text (`{id, type, title, body, data, created_at}`, written by its `rules`). Unlike the
notification service it keeps everything in memory: no history to resume from, no attendee list
surviving a restart, one process (no Redis manager); so it does less work per alert, not more.
"""

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import socketio
from fastapi import FastAPI

from notification_service.ids import new_id
from notification_service.models import EVERYONE
from notification_service.rules import Attendees, Draft, for_booking, for_event
from shared.app import create_service_app, serve
from shared.auth import InvalidTokenError, KeysUnavailableError, TokenVerifier
from shared.messages import BookingConfirmed, EventUpdated
from shared.messaging import Broker, Consumer
from shared.settings import ServiceSettings

ALERT = "notification"


class PeerSettings(ServiceSettings):
    queue_prefix: str = "bench_peer"
    consumer_prefetch: int = 32  # as the notification service's


def user_room(user_id: str) -> str:
    return f"user:{user_id}"


def event_room(event_id: str) -> str:
    return f"event:{event_id}"


class LiveAlerts:
    """The Socket.IO server, and what it learns from the exchange of who attends which event."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier
        self.sio = socketio.AsyncServer(async_mode="asgi")
        self.sio.on("connect", self.on_connect)
        self.attending: defaultdict[str, set[str]] = defaultdict(set)  # user id -> event ids

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> None:
        """Admits a user's socket into its rooms; refuses one without a valid user token."""
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            principal = await self.verifier.verify(token or "")
        except InvalidTokenError as exc:
            raise socketio.exceptions.ConnectionRefusedError("Missing, invalid or expired token") from exc
        except KeysUnavailableError as exc:
            raise socketio.exceptions.ConnectionRefusedError("Cannot verify the token; retry later") from exc
        if principal.is_service:
            raise socketio.exceptions.ConnectionRefusedError("A service identity has no notifications")
        await self.sio.enter_room(sid, user_room(principal.id))
        for event_id in self.attending.get(principal.id, ()):
            await self.sio.enter_room(sid, event_room(event_id))

    async def on_booking_confirmed(self, message: BookingConfirmed) -> None:
        """Adds the booker's sockets to the event's room, then tells the booker (and the organizer)."""
        self.attending[message.user_id].add(message.event_id)
        for sid, _ in list(self.sio.manager.get_participants("/", user_room(message.user_id))):
            await self.sio.enter_room(sid, event_room(message.event_id))
        await self._tell(for_booking(message))

    async def on_event_updated(self, message: EventUpdated) -> None:
        """Tells the event's attendees what changed."""
        await self._tell(for_event(message))

    async def _tell(self, drafts: list[Draft]) -> None:
        for draft in drafts:
            frame = {
                "id": new_id(),
                "type": draft.type,
                "title": draft.title,
                "body": draft.body,
                "data": draft.data,
                "created_at": datetime.now(UTC).isoformat(),
            }
            await self.sio.emit(ALERT, frame, to=_room_of(draft.recipient))


def _room_of(recipient: str | Attendees) -> str | None:
    """The room a draft goes to; None is every socket."""
    if isinstance(recipient, Attendees):
        return event_room(recipient.event_id)
    return None if recipient == EVERYONE else user_room(recipient)


def create_app(settings: PeerSettings | None = None) -> socketio.ASGIApp:
    settings = settings or PeerSettings()
    alerts = LiveAlerts(TokenVerifier.from_settings(settings))
    consumer = Consumer(
        # Its own queue, gone with its connection, as a notification replica's live queue.
        queue=f"{settings.queue_prefix}.{new_id()}",
        handlers=[alerts.on_booking_confirmed, alerts.on_event_updated],
        prefetch=settings.consumer_prefetch,
        exclusive=True,
        max_attempts=1,
    )
    broker = Broker.from_settings(settings, consumers=[consumer])

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Ready once connected, which is once its queue is bound: nothing published after is missed.
        app.state.readiness = {"broker": broker.check}
        await broker.start()
        try:
            yield
        finally:
            await broker.close()

    probes = create_service_app(
        title="Peer live alerts", description="", settings=settings, lifespan=lifespan, routers=[]
    )
    # The Socket.IO endpoint at /socket.io/; every other path (the probe) goes to FastAPI.
    return socketio.ASGIApp(alerts.sio, other_asgi_app=probes)


if __name__ == "__main__":
    serve("bench_peer", "bench.peer_socketio:create_app", PeerSettings())
