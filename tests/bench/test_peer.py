"""The bench's peer Socket.IO server, as a real process: who it tells of an event's change."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.socketio_client import SocketIOListener, socketio_url
from bench.sockets import Frame, Match
from bench.stack import launched
from shared.messages import BookingConfirmed, EventUpdated
from shared.messaging import Broker, build_envelope
from tests.accounts import Account

FRAME_TIMEOUT_SECONDS = 15.0


@pytest.fixture
async def peer_url(exchange_name: str, user_service_url: str, tmp_path: Path) -> AsyncIterator[str]:
    environment = {
        "ENV": "test",
        "LOG_LEVEL": "WARNING",
        "EVENT_EXCHANGE": exchange_name,
        "JWKS_URL": f"{user_service_url}/.well-known/jwks.json",
    }
    async with launched("bench.peer_socketio", environment, tmp_path) as peer:
        yield socketio_url(peer.url)


def _booking(user: Account, event_id: str) -> BookingConfirmed:
    return BookingConfirmed(
        booking_id=str(uuid.uuid4()),
        user_id=user.id,
        event_id=event_id,
        event_title="Peer test",
        event_owner_id=str(uuid.uuid4()),
        tickets=1,
        amount=2500,
        currency="EUR",
        payment_id=str(uuid.uuid4()),
    )


def _update(event_id: str) -> EventUpdated:
    starts_at = datetime.now(UTC) + timedelta(days=30)
    return EventUpdated(
        event_id=event_id,
        owner_id=str(uuid.uuid4()),
        title="Peer test",
        venue="Hall 2",
        category="music",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=100,
        price=2500,
        currency="EUR",
        max_tickets_per_booking=4,
        status="scheduled",
        version=2,
        changed=["venue"],
    )


def _of(kind: str, event_id: str) -> Match:
    def matches(frame: Frame) -> bool:
        return frame["type"] == kind and frame["data"]["event_id"] == event_id

    return matches


async def _frame(listener: SocketIOListener, match: Match) -> None:
    await asyncio.wait_for(listener.wait_for(match), FRAME_TIMEOUT_SECONDS)


async def test_an_update_reaches_the_sockets_of_attendees_only(
    peer_url: str, make_account: Callable[..., Awaitable[Account]], producer: Broker
) -> None:
    attendee, stranger = await make_account(), await make_account()
    event_id, other_event_id = str(uuid.uuid4()), str(uuid.uuid4())
    before = await SocketIOListener.join(peer_url, attendee.token, compression=None)
    outsider = await SocketIOListener.join(peer_url, stranger.token, compression=None)
    try:
        await producer.publish(build_envelope("booking_service", _booking(attendee, event_id)))
        await _frame(before, _of("booking.confirmed", event_id))
        # Opened once the booking is known: it joins the event's room as it connects.
        after = await SocketIOListener.join(peer_url, attendee.token, compression=None)
        try:
            await producer.publish(build_envelope("event_service", _update(event_id)))
            # The stranger's own booking is published after the update and handled after it, so
            # once its frame is here, an update sent to the stranger would have come before it.
            await producer.publish(build_envelope("booking_service", _booking(stranger, other_event_id)))
            for listener in (before, after):
                await _frame(listener, _of("event.updated", event_id))
            await _frame(outsider, _of("booking.confirmed", other_event_id))
        finally:
            await after.close()
        assert outsider.arrival(_of("event.updated", event_id)) is None
        frame = next(frame for _, frame in before.frames if frame["type"] == "event.updated")
        assert set(frame) == {"id", "type", "title", "body", "data", "created_at"}
        assert frame["data"]["venue"] == "Hall 2"
    finally:
        await before.close()
        await outsider.close()


async def test_a_socket_without_a_valid_token_is_refused(peer_url: str) -> None:
    with pytest.raises(ConnectionRefusedError):
        await SocketIOListener.join(peer_url, "not-a-token", compression=None)
