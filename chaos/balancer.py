"""The load balancer in front of each service's replicas: HAProxy when installed, else a TCP one.

HAProxy checks `/ready` every half second and sends nothing to a replica that fails it, and a
request whose connection is refused goes to another replica (`retry-on conn-failure`): a killed
replica costs the requests it held, not the ones after. Without HAProxy a round-robin TCP balancer
(`TcpBalancer`) skips a replica that refuses the connection, which is all a kill needs.
"""

import asyncio
import contextlib
import itertools
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.tcp_proxy import free_port

HAPROXY = shutil.which("haproxy") or next(
    (path for path in ("/usr/sbin/haproxy", "/usr/bin/haproxy") if Path(path).exists()), None
)
# WebSockets stay open through the whole run; HTTP answers take at most the services' own timeouts.
_DEFAULTS = """\
global
    # Two descriptors a connection, within the machine's limit of 20000 per process.
    maxconn 9000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    timeout client-fin 5s
    option redispatch
    retries 3
    retry-on conn-failure
    default-server inter 500ms fall 1 rise 1
"""


def haproxy_config(frontends: Mapping[str, int], backends: Mapping[str, Sequence[int]]) -> str:
    """HAProxy's configuration: a frontend on `frontends[service]` for each service's replica ports."""
    sections = [_DEFAULTS]
    for service, port in frontends.items():
        # Sockets last: a new one goes to the replica holding the fewest.
        balance = "leastconn" if service == "notification_service" else "roundrobin"
        servers = "".join(
            f"    server {service}_{index} 127.0.0.1:{replica} check\n"
            for index, replica in enumerate(backends[service])
        )
        sections.append(
            f"frontend {service}\n    bind 127.0.0.1:{port}\n    default_backend {service}\n\n"
            f"backend {service}\n    balance {balance}\n    option httpchk GET /ready\n{servers}"
        )
    return "\n".join(sections)


class HaproxyBalancer:
    """HAProxy run in the foreground with a configuration written to `workdir`."""

    def __init__(self, workdir: Path, backends: Mapping[str, Sequence[int]]) -> None:
        assert HAPROXY is not None
        self.ports = {service: free_port() for service in backends}
        self._config = workdir / "haproxy.cfg"
        self._config.write_text(haproxy_config(self.ports, backends))
        self._log = workdir / "haproxy.log"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self._log.open("wb") as output:
            self._process = await asyncio.create_subprocess_exec(
                HAPROXY, "-db", "-f", str(self._config), stdout=output, stderr=asyncio.subprocess.STDOUT
            )

    async def stop(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()


class TcpBalancer:
    """Round-robin TCP balancing over each service's replicas, skipping one that refuses to connect."""

    def __init__(self, backends: Mapping[str, Sequence[int]]) -> None:
        self.ports = {service: free_port() for service in backends}
        self._backends = backends
        self._servers: list[asyncio.Server] = []
        self._pipes: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        for service, port in self.ports.items():
            turns = itertools.cycle(self._backends[service])
            count = len(self._backends[service])
            server = await asyncio.start_server(
                lambda reader, writer, turns=turns, count=count: self._accept(reader, writer, turns, count),
                "127.0.0.1",
                port,
                reuse_address=True,
                backlog=4096,
            )
            self._servers.append(server)

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(
        self,
        client_reader: asyncio.StreamReader,
        client_writer: asyncio.StreamWriter,
        turns: "itertools.cycle[int]",
        count: int,
    ) -> None:
        for _ in range(count):
            try:
                server_reader, server_writer = await asyncio.open_connection("127.0.0.1", next(turns))
                break
            except OSError:
                continue
        else:
            client_writer.close()
            return
        for reader, writer in ((client_reader, server_writer), (server_reader, client_writer)):
            task = asyncio.create_task(_pipe(reader, writer))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(OSError):
            writer.close()


def balancer(workdir: Path, backends: Mapping[str, Sequence[int]]) -> HaproxyBalancer | TcpBalancer:
    """HAProxy if installed, else the TCP balancer; either has `ports` by service, `start` and `stop`."""
    return HaproxyBalancer(workdir, backends) if HAPROXY else TcpBalancer(backends)
