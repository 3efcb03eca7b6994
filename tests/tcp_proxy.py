"""A TCP proxy the tests can cut, freeze and restore, to take a real server away from a service.

A cut (`stop`) is a host that went away: connections drop and new ones are refused, so the client
knows at once. A freeze is a host that stops answering: connections stay open and new ones are
accepted, but no byte moves either way, so the client learns nothing until its own timeouts fire.
"""

import asyncio
import contextlib
import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target_host`:`target_port` while started."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()

    @property
    def frozen(self) -> bool:
        return not self._flowing.is_set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)

    async def stop(self) -> None:
        """Stops listening and drops every open connection, as a network cut would."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    def freeze(self) -> None:
        """Stops moving bytes but keeps every connection open, as a hung host or a silent partition would.

        What either side sends meanwhile is held back, not lost, as TCP retransmits across a partition.
        """
        self._flowing.clear()

    def thaw(self) -> None:
        """Moves bytes again, what was held back first."""
        self._flowing.set()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        for reader, writer in ((client_reader, server_writer), (server_reader, client_writer)):
            task = asyncio.create_task(self._pipe(reader, writer))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                # Held here while frozen; reading no further then fills the sender's buffers instead.
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
            await self._flowing.wait()  # a frozen host does not say it closed, either
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(OSError):
                writer.close()
