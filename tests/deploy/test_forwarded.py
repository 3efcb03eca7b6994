"""Whose address a service believes: the gateway's `X-Forwarded-For`, and no one else's.

The gateway overwrites the header with the address it saw, so a client cannot prepend addresses of its
choosing; Compose trusts the header only from the Docker networks the gateway is on, never from `*`
(with `*`, uvicorn takes the first address of the header, which the client writes).
"""

import ipaddress
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from limits import parse

from tests import processes
from tests.deploy.nginx import locations, route
from tests.deploy.test_compose import ROOT, SERVICES, _environment
from user_service.settings import UserSettings

NGINX = ROOT / "deploy" / "nginx.conf"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _trusted_proxies(compose: dict[str, Any], service: str) -> str:
    """The FORWARDED_ALLOW_IPS a service gets in Compose when the operator's `.env` does not set it."""
    return _environment(compose, service, {})["FORWARDED_ALLOW_IPS"]


def test_the_gateway_overwrites_the_forwarded_address_with_the_one_it_saw() -> None:
    directives = [line.split("#")[0].split() for line in NGINX.read_text().splitlines()]

    assert ["proxy_set_header", "X-Forwarded-For", "$remote_addr;"] in directives
    assert ["proxy_set_header", "X-Real-IP", "$remote_addr;"] in directives
    assert "$proxy_add_x_forwarded_for" not in NGINX.read_text()


def test_the_websocket_location_overwrites_it_too() -> None:
    """A location that sets any header of its own inherits none of the server's: the client's would pass."""
    websocket = route("/ws", locations(NGINX))

    assert websocket is not None
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in websocket.body
    assert "proxy_set_header X-Real-IP $remote_addr;" in websocket.body


@pytest.mark.parametrize("service", SERVICES)
def test_services_trust_forwarded_addresses_only_from_private_networks(
    compose: dict[str, Any], service: str
) -> None:
    trusted = _trusted_proxies(compose, service).split(",")

    assert "*" not in trusted
    networks = [ipaddress.ip_network(entry.strip()) for entry in trusted]
    assert all(network.is_private and network.prefixlen >= 8 for network in networks), networks


async def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(
    compose: dict[str, Any], user_settings: UserSettings, tmp_path: Path
) -> None:
    """The user service, as a process with Compose's trust, called from 127.0.0.1 (not a trusted proxy):
    each attempt claims another address, and the limit per client still counts them as one."""
    settings = user_settings.model_copy(update={"rate_limit_key_prefix": f"forwarded-{uuid.uuid4().hex[:8]}"})
    variables = {
        **processes.environment(settings),
        "FORWARDED_ALLOW_IPS": _trusted_proxies(compose, "user_service"),
        "LOG_LEVEL": "WARNING",
    }
    service = processes.ServiceProcess("user_service", variables, log=tmp_path / "user_service.log")
    await service.start()
    allowed = parse(settings.login_rate_limit).amount
    try:
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as client:
            statuses = [
                (
                    await client.post(
                        "/login",
                        # A name of its own each time, so only the limit per client can refuse.
                        json={"username": f"nobody{attempt}", "password": "wrong-password"},
                        headers={"X-Forwarded-For": f"10.0.0.{attempt + 1}"},
                    )
                ).status_code
                for attempt in range(allowed + 1)
            ]
    finally:
        await service.stop()

    assert statuses == [401] * allowed + [429]
