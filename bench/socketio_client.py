"""Client sockets of the peer Socket.IO server, on the same WebSocket client and `Listener` as ours.

Engine.IO v4 over a raw WebSocket (`/socket.io/?EIO=4&transport=websocket`), as socket.io-client
speaks it without long-polling: the server opens with `0{...}`, the client joins the default
namespace with `40{"token": ...}` and is admitted with `40{...}` (refused with `44{...}`), answers each
ping `2` with `3`, and receives alerts as `42["notification", <frame>]`. Each frame is recorded and
settles waits exactly as `Listener` does for the notification service's, so both are timed alike.
"""

import asyncio
import functools
import json
import time
from collections.abc import Sequence

from websockets.asyncio.client import ClientConnection, connect

from bench.sockets import Listener, open_all

OPEN = "0"
PING = "2"
PONG = "3"
CONNECT = "40"
CONNECT_ERROR = "44"
EVENT = "42"
HANDSHAKE_TIMEOUT_SECONDS = 60.0


def socketio_url(base_url: str) -> str:
    """The WebSocket URL of the Socket.IO server at `base_url` (`http://host:port`)."""
    return base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"


async def _packet(connection: ClientConnection, kind: str) -> str:
    """Returns the next packet, which must be of `kind`; answers pings meanwhile."""
    while (raw := await connection.recv()) == PING:
        await connection.send(PONG)
    if isinstance(raw, str) and raw.startswith(CONNECT_ERROR):
        raise ConnectionRefusedError(f"The server refused the socket: {raw[len(CONNECT_ERROR) :]}")
    if not (isinstance(raw, str) and raw.startswith(kind)):
        raise ConnectionError(f"Expected an Engine.IO packet {kind!r}, got {raw!r:.100}")
    return raw


class SocketIOListener(Listener):
    """One user's Socket.IO socket, recording each alert's frame with the moment it arrived."""

    @classmethod
    async def join(cls, url: str, token: str, *, compression: str | None) -> "SocketIOListener":
        """Opens the WebSocket and joins the default namespace with `token` as its auth."""
        # No client pings, as `Listener.open`: the server pings, and is answered.
        connection = await connect(url, open_timeout=60, ping_interval=None, compression=compression)
        try:
            async with asyncio.timeout(HANDSHAKE_TIMEOUT_SECONDS):
                await _packet(connection, OPEN)
                await connection.send(CONNECT + json.dumps({"token": token}))
                await _packet(connection, CONNECT)
        except BaseException:
            await connection.close()
            raise
        return cls(connection)

    async def _read(self) -> None:
        # Listener's reading loop, with Engine.IO's framing: only event packets carry frames.
        try:
            async for raw in self.connection:
                arrived = time.perf_counter()
                if isinstance(raw, str) and raw.startswith(EVENT):
                    self._record(arrived, json.loads(raw[len(EVENT) :])[1])  # [event name, frame]
                elif raw == PING:
                    await self.connection.send(PONG)
        finally:
            self._fail_waits()


async def join_many(
    scenario: str, url: str, tokens: Sequence[str], *, compression: str | None
) -> list[SocketIOListener]:
    """Opens a socket per token on the Socket.IO server at `url`."""
    join = SocketIOListener.join
    openers = [functools.partial(join, url, token, compression=compression) for token in tokens]
    return await open_all(scenario, openers)
