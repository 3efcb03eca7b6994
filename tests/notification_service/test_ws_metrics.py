"""`ws_connections` on `/metrics`: the open WebSockets a replica holds, what its autoscaler reads."""

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import wait_for
from tests.notification_service.conftest import Replica, Users, open_socket


async def ws_connections(replica: Replica) -> float:
    async with httpx.AsyncClient(base_url=replica.url) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    [family] = [
        family for family in text_string_to_metric_families(response.text) if family.name == "ws_connections"
    ]
    [sample] = family.samples
    return sample.value


async def test_ws_connections_counts_the_open_websockets(replica: Replica, users: Users) -> None:
    assert await ws_connections(replica) == 0

    async with open_socket(replica, users[0].token), open_socket(replica, users[1].token):
        await wait_for(lambda: _connections_are(replica, 2))
        assert await ws_connections(replica) == 2

    await wait_for(lambda: _connections_are(replica, 0))
    assert await ws_connections(replica) == 0


async def _connections_are(replica: Replica, count: int) -> bool:
    return replica.hub.connections == count
