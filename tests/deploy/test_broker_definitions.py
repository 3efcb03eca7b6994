"""The broker's users, read from the files: each service logs in as itself and may touch only its own.

tests/deploy/test_broker_access.py tries the same definitions on a real RabbitMQ.
"""

import base64
import hashlib
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import notification_service.messages  # noqa: F401  (its types join the catalogue)
from scripts import make_env
from scripts.make_env import BROKER_ACCESS, EXCHANGE, broker_permissions, rabbitmq_definitions
from scripts.topology import service_consumers
from shared.messages import CATALOGUE
from tests.deploy.test_compose import ROOT, SERVICES, _environment, compose, secrets  # noqa: F401

# Who publishes each message type: its owner, whose user alone may send it.
PUBLISHES = {
    "user_service": {"user.registered"},
    "event_service": {"event.created", "event.updated", "event.cancelled", "event.deleted"},
    "booking_service": {
        "booking.held",
        "booking.offered",
        "booking.expired",
        "booking.confirmed",
        "booking.failed",
        "booking.cancelled",
    },
    "payment_service": {"payment.succeeded", "payment.failed", "payment.refunded"},
    "notification_service": {"notifications.stored"},
    "checkin_service": {"ticket.issued", "ticket.revoked", "checkin.scanned"},
}


@pytest.fixture(scope="module")
def definitions(secrets: dict[str, str]) -> dict[str, Any]:  # noqa: F811
    passwords = {service: secrets[make_env.rabbitmq_password_variable(service)] for service in BROKER_ACCESS}
    return rabbitmq_definitions(passwords)


def _matches(pattern: str, name: str) -> bool:
    """RabbitMQ searches a permission's pattern in the name: it must anchor itself."""
    return re.search(pattern, name) is not None


def _queues(service: str) -> set[str]:
    return {
        queue
        for consumer in service_consumers(service)
        for queue in (consumer.queue, consumer.dead_letter_queue, *consumer.delay_queues)
    }


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_logs_in_to_rabbitmq_as_its_own_user(
    compose: dict[str, Any],  # noqa: F811
    secrets: dict[str, str],  # noqa: F811
    service: str,
) -> None:
    declared = compose["services"][service]["environment"]["RABBITMQ_URL"]
    variable = make_env.rabbitmq_password_variable(service)

    assert declared == f"amqp://{service}:${{{variable}}}@rabbitmq:5672/"
    assert _environment(compose, service, secrets)["RABBITMQ_URL"] == (
        f"amqp://{service}:{secrets[variable]}@rabbitmq:5672/"
    )


def test_nothing_logs_in_as_guest_and_the_management_port_is_not_published(
    compose: dict[str, Any],  # noqa: F811
) -> None:
    text = (ROOT / "docker-compose.yml").read_text()

    assert "guest" not in text
    assert "ports" not in compose["services"]["rabbitmq"]
    published = [port for definition in compose["services"].values() for port in definition.get("ports", [])]
    assert not [port for port in published if "15672" in str(port) or "5672" in str(port)]


def test_rabbitmq_loads_the_definitions_make_env_writes_at_start(compose: dict[str, Any]) -> None:  # noqa: F811
    rabbitmq = compose["services"]["rabbitmq"]
    config = (ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text()
    loaded = re.search(r"^load_definitions = (\S+)$", config, re.M)

    assert loaded is not None
    assert compose["secrets"]["rabbitmq_definitions"]["file"] == f"./{make_env.DEFINITIONS}"
    assert rabbitmq["secrets"] == ["rabbitmq_definitions"]
    assert f"/run/secrets/rabbitmq_definitions {loaded.group(1)}" in " ".join(rabbitmq["entrypoint"])
    assert rabbitmq["entrypoint"][-1].endswith("exec docker-entrypoint.sh rabbitmq-server")
    assert "./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/20-platform.conf:ro" in rabbitmq["volumes"]


def test_the_definitions_hold_one_user_per_service_and_no_guest(
    definitions: dict[str, Any],
    secrets: dict[str, str],  # noqa: F811
) -> None:
    users = {user["name"]: user for user in definitions["users"]}

    assert set(users) == set(SERVICES)
    assert definitions["vhosts"] == [{"name": "/"}]
    for service, user in users.items():
        assert user["tags"] == []
        assert user["hashing_algorithm"] == "rabbit_password_hashing_sha256"
        salted = base64.b64decode(user["password_hash"])
        password = secrets[make_env.rabbitmq_password_variable(service)].encode()
        assert salted[4:] == hashlib.sha256(salted[:4] + password).digest()


def test_the_password_hash_is_rabbitmqs() -> None:
    """The example of RabbitMQ's passwords guide: salt 908D C60A, password test12."""
    expected = "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"

    assert make_env.rabbitmq_password_hash("test12", salt=bytes.fromhex("908DC60A")) == expected


def test_each_user_publishes_exactly_the_types_its_service_owns(definitions: dict[str, Any]) -> None:
    grants = {grant["user"]: grant for grant in definitions["topic_permissions"]}

    assert {grant["exchange"] for grant in grants.values()} == {EXCHANGE}
    assert set().union(*PUBLISHES.values()) == set(CATALOGUE)
    for service, owned in PUBLISHES.items():
        assert {kind for kind in CATALOGUE if _matches(grants[service]["write"], kind)} == owned, service


@pytest.mark.parametrize("service", SERVICES)
def test_each_user_binds_exactly_the_types_its_consumers_take(
    definitions: dict[str, Any], service: str
) -> None:
    grant = next(grant for grant in definitions["topic_permissions"] if grant["user"] == service)
    taken = {key for consumer in service_consumers(service) for key in consumer.routing_keys}

    assert {kind for kind in CATALOGUE if _matches(grant["read"], kind)} == taken


@pytest.mark.parametrize("service", SERVICES)
def test_each_user_may_use_its_own_queues_and_no_other_services(
    definitions: dict[str, Any], service: str
) -> None:
    permissions = next(grant for grant in definitions["permissions"] if grant["user"] == service)
    others = set().union(*(_queues(other) for other in SERVICES if other != service))
    common = {EXCHANGE, f"{EXCHANGE}.unroutable"}

    for kind in ("configure", "write", "read"):
        allowed = [queue for queue in others if _matches(permissions[kind], queue)]
        assert allowed == [], f"{service} may {kind} {allowed}"
        assert all(_matches(permissions[kind], queue) for queue in _queues(service)), kind
    assert all(_matches(permissions["configure"], name) for name in common)
    assert all(_matches(permissions["write"], name) for name in (*common, "amq.default"))
    assert _matches(permissions["read"], EXCHANGE) == bool(_queues(service))
    assert not _matches(permissions["read"], f"{EXCHANGE}.unroutable")
    assert permissions == {"user": service, "vhost": "/", **broker_permissions(service)}


def test_make_env_writes_both_secrets_owner_only_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, definitions = tmp_path / ".env", tmp_path / "rabbitmq" / "definitions.json"
    monkeypatch.setattr(sys, "argv", ["make_env.py", str(env), str(definitions)])

    assert make_env.main() == 0
    assert stat.S_IMODE(env.stat().st_mode) == stat.S_IMODE(definitions.stat().st_mode) == 0o600
    written = env.read_text()
    env.unlink()
    assert make_env.main() == 1, "an existing definitions file must not be replaced"
    assert not env.exists()
    definitions.unlink()
    assert make_env.main() == 0
    assert env.read_text() != written


def test_the_definitions_file_is_never_committed() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", str(make_env.DEFINITIONS)], cwd=ROOT, check=False
    )

    assert ignored.returncode == 0


def test_the_management_override_publishes_the_ui_on_loopback_only() -> None:
    override = yaml.safe_load((ROOT / "deploy" / "rabbitmq" / "management.yml").read_text())

    assert override == {"services": {"rabbitmq": {"ports": ["127.0.0.1:15672:15672"]}}}
