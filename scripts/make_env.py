"""`make env`: writes `.env` with fresh production secrets for `docker compose up`, and the broker's users.

The RabbitMQ definitions (`deploy/rabbitmq/definitions.json`) give each service a user of its own that
may declare, read and write only its own queues and the `events` exchange, and publish there only the
message types it owns. They hold password hashes, so they are a secret like `.env`: written 0600,
never committed. Refuses to overwrite either file, so secrets already in use are never lost.
"""

import base64
import hashlib
import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

EXCHANGE = "events"
DEFINITIONS = Path("deploy/rabbitmq/definitions.json")


@dataclass(frozen=True)
class BrokerAccess:
    """What one service does on the broker, as RabbitMQ permission patterns (searched, so anchored)."""

    publishes: str  # the routing keys (message types) it may publish on the exchange: the ones it owns
    consumes: str = "^$"  # the routing keys it may bind its queues to
    has_queues: bool = False  # declares and consumes queues named `<service>.<...>`


BROKER_ACCESS: dict[str, BrokerAccess] = {
    "user_service": BrokerAccess(publishes=r"^user\."),
    "event_service": BrokerAccess(
        publishes=r"^event\.", consumes=r"^(event\.|booking\.(held|offered|confirmed)$)", has_queues=True
    ),
    "booking_service": BrokerAccess(
        publishes=r"^booking\.", consumes=r"^(event\.|payment\.refunded$)", has_queues=True
    ),
    "payment_service": BrokerAccess(publishes=r"^payment\."),
    "notification_service": BrokerAccess(
        publishes=r"^notifications\.",
        consumes=r"^(user\.|event\.|booking\.|payment\.refunded$|notifications\.|ticket\.|checkin\.scanned$)",
        has_queues=True,
    ),
    "checkin_service": BrokerAccess(
        publishes=r"^(ticket|checkin)\.",
        consumes=r"^(user\.registered$|event\.|booking\.(confirmed|cancelled)$)",
        has_queues=True,
    ),
}


def rabbitmq_password_variable(service: str) -> str:
    """Returns the `.env` name of a service's broker password: `BOOKING_SERVICE_RABBITMQ_PASSWORD`."""
    return f"{service.upper()}_RABBITMQ_PASSWORD"


def rabbitmq_password_hash(password: str, salt: bytes | None = None) -> str:
    """Returns the hash RabbitMQ stores: base64(salt + sha256(salt + password)), with a 4-byte salt."""
    salt = os.urandom(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def broker_permissions(service: str) -> dict[str, str]:
    """Returns the configure/write/read patterns of a service's user.

    Every service declares the exchange and `events.unroutable` (where returned messages are kept,
    through the default exchange, `amq.default`); a consumer also declares its queues with the
    default exchange as their dead-letter exchange, binds them (read on the exchange) and republishes
    retries through the default exchange.
    """
    access = BROKER_ACCESS[service]
    own_queues = rf"|^{service}\." if access.has_queues else ""
    return {
        "configure": rf"^({EXCHANGE}|{EXCHANGE}\.unroutable)${own_queues}",
        "write": rf"^({EXCHANGE}|{EXCHANGE}\.unroutable|amq\.default)${own_queues}",
        "read": rf"^{EXCHANGE}${own_queues}" if access.has_queues else "^$",
    }


def rabbitmq_definitions(passwords: dict[str, str], vhost: str = "/") -> dict[str, Any]:
    """Returns the definitions RabbitMQ loads at start: one user per service, and no guest."""
    return {
        "users": [
            {
                "name": service,
                "password_hash": rabbitmq_password_hash(password),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": [],
            }
            for service, password in passwords.items()
        ],
        "vhosts": [{"name": vhost}],
        "permissions": [
            {"user": service, "vhost": vhost, **broker_permissions(service)} for service in passwords
        ],
        "topic_permissions": [
            {
                "user": service,
                "vhost": vhost,
                "exchange": EXCHANGE,
                "write": BROKER_ACCESS[service].publishes,
                "read": BROKER_ACCESS[service].consumes,
            }
            for service in passwords
        ],
    }


def _ed25519_pem() -> str:
    """Returns a new Ed25519 private key in PEM on one line, its newlines escaped: env files hold one
    value per line."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode().strip().replace("\n", "\\n")


def production_env() -> dict[str, str]:
    """Returns every secret the Compose stack needs, freshly generated."""
    booking_secret = secrets.token_urlsafe(32)
    return {
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": secrets.token_urlsafe(18),
        "SIGNING_KEY": _ed25519_pem(),
        "TICKET_SIGNING_KEY": _ed25519_pem(),
        "SERVICE_CLIENTS": json.dumps({"booking_service": booking_secret}),
        "SERVICE_CLIENT_SECRET": booking_secret,
        # URL-safe: each goes into its service's RABBITMQ_URL as it is.
        **{rabbitmq_password_variable(service): secrets.token_urlsafe(24) for service in BROKER_ACCESS},
    }


def _write_secret(path: Path, text: str) -> None:
    """Creates `path` readable by its owner only, from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    path.chmod(0o600)


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    definitions = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFINITIONS
    for existing in (path for path in (target, definitions) if path.exists()):
        print(f"{existing} exists; remove it first to generate new secrets.", file=sys.stderr)
        return 1
    env = production_env()
    passwords = {service: env[rabbitmq_password_variable(service)] for service in BROKER_ACCESS}
    _write_secret(definitions, json.dumps(rabbitmq_definitions(passwords), indent=2) + "\n")
    _write_secret(target, "\n".join(f"{name}='{value}'" for name, value in env.items()) + "\n")
    print(f"Wrote {target} and {definitions}; the admin password is in ADMIN_PASSWORD.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
