"""`ws_connections` on `/metrics`: the open WebSockets a replica holds, what its autoscaler reads; and
each handshake observed as every request is, without its token."""

import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from tests.conftest import wait_for
from tests.notification_service.conftest import Replica, Users, open_socket


async def metric_samples(replica: Replica, name: str) -> list[Sample]:
    async with httpx.AsyncClient(base_url=replica.url) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    [family] = [family for family in text_string_to_metric_families(response.text) if family.name == name]
    return family.samples


async def ws_connections(replica: Replica) -> float:
    [sample] = await metric_samples(replica, "ws_connections")
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


async def test_a_socket_handshake_is_counted_under_its_route_and_logged_without_the_token(
    replica: Replica, users: Users, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async with open_socket(replica, users[0].token):
        await wait_for(lambda: _connections_are(replica, 1))

    counted = {
        (sample.labels["method"], sample.labels["handler"]): sample.value
        for sample in await metric_samples(replica, "http_requests")
        if sample.name == "http_requests_total"
    }
    assert counted[("WEBSOCKET", "/ws")] == 1
    assert any(record.name == "access" and "/ws" in record.getMessage() for record in caplog.records)
    assert users[0].token not in caplog.text
