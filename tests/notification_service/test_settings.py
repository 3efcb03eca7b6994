"""Settings defaults and production guards, and how the service answers while MongoDB is down."""

from collections.abc import Awaitable, Callable

import httpx
import pytest
from pydantic import ValidationError

from notification_service.settings import MAX_PART_SIZE, NotificationSettings
from tests.notification_service.conftest import Replica
from tests.tcp_proxy import free_port


def test_defaults_match_the_platform_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "MONGO_URL", "MONGO_DATABASE", "ENV", "SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    settings = NotificationSettings(_env_file=None)

    assert (settings.port, settings.mongo_url, settings.mongo_database) == (
        8001,
        "mongodb://127.0.0.1:27017",
        "notification_db",
    )
    assert settings.smtp_host is None  # no email until a server is named
    monkeypatch.setenv("SMTP_HOST", "smtp.example.com")
    monkeypatch.setenv("QUEUE_PREFIX", "notifications_eu")
    configured = NotificationSettings(_env_file=None)
    assert (configured.smtp_host, configured.queue_prefix) == ("smtp.example.com", "notifications_eu")


@pytest.mark.parametrize("part_size", [0, MAX_PART_SIZE + 1])
def test_a_part_size_outside_the_bound_is_refused(part_size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PART_SIZE", str(part_size))

    with pytest.raises(ValidationError, match="part_size"):
        NotificationSettings(_env_file=None)


async def test_ready_names_the_database_while_mongodb_is_down(
    start_replica: Callable[..., Awaitable[Replica]],
) -> None:
    replica = await start_replica(
        wait_ready=False, mongo_url=f"mongodb://127.0.0.1:{free_port()}", mongo_timeout_seconds=0.3
    )

    async with httpx.AsyncClient(base_url=replica.url) as client:
        ready = await client.get("/ready")

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("unavailable: ")
