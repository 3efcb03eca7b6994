"""A ticket's secret verifies with the published keys alone, as a scanner with no network does."""

import base64
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidSignature

from checkin_service.settings import CheckinSettings
from tests.checkin_service.conftest import Stage
from tests.checkin_service.scanner import published_keys, read_secret

Buy = Callable[..., Awaitable[tuple[Any, list[dict[str, Any]]]]]


async def test_a_secret_verifies_with_the_published_keys_alone(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    keys = await published_keys(checkin)
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(stage.event.event_id, 1), ("vip", 1)])

    for ticket in tickets:
        # From here on, nothing is asked of the service.
        assert len(ticket["secret"]) <= 190
        claims = read_secret(ticket["secret"], keys)
        assert claims["ticket_id"] == ticket["id"]
        assert claims["event_id"] == stage.event.event_id
        assert claims["ticket_type_id"] == ticket["ticket_type_id"]
        assert claims["valid_from"] == stage.event.starts_at - timedelta(hours=12)
        assert claims["valid_until"] == stage.event.ends_at + timedelta(hours=6)


async def test_a_tampered_secret_does_not_verify_and_is_refused_at_the_door(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    keys = await published_keys(checkin)
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [("vip", 1)])
    data = bytearray(base64.b32decode(tickets[0]["secret"] + "=" * (-len(tickets[0]["secret"]) % 8)))
    data[30] ^= 0x01  # another event, type or validity, with the first one's signature
    tampered = base64.b32encode(bytes(data)).decode().rstrip("=")

    with pytest.raises(InvalidSignature):
        read_secret(tampered, keys)
    answer = await stage.scan(checkin, tampered, nonce="tampered")
    assert answer["result"] == "invalid_signature"
    assert answer["ticket"] is None
    for garbage in ("not base32 at all!", "AAAA", tickets[0]["secret"][:-10]):
        assert (await stage.scan(checkin, garbage, nonce=f"garbage-{len(garbage)}"))[
            "result"
        ] == "invalid_signature"
    answer = await stage.scan(checkin, tickets[0]["secret"], nonce="genuine")
    assert answer["result"] == "ok"


def test_production_refuses_to_start_without_a_ticket_signing_key() -> None:
    with pytest.raises(ValueError, match="TICKET_SIGNING_KEY"):
        CheckinSettings(env="production", rabbitmq_url="amqp://checkin_service:secret@127.0.0.1:5672/")
