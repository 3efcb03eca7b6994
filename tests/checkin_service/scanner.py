"""What a scanner with no network does with a ticket's secret: decode it as docs/checkin.md
describes, and verify it with `cryptography` alone against the keys it fetched beforehand."""

import base64
import struct
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read_secret(secret: str, keys: dict[bytes, Ed25519PublicKey]) -> dict[str, Any]:
    """Decodes and verifies a secret as docs/checkin.md describes it, with `cryptography` alone."""
    data = base64.b32decode(secret + "=" * (-len(secret) % 8))
    payload, signature = data[:-64], data[-64:]
    assert payload[0] == 1  # the version
    keys[payload[2:4]].verify(signature, payload)  # raises InvalidSignature
    forms, at = payload[1], 4
    ticket_id = uuid.UUID(bytes=payload[at : at + 16])
    at += 16
    ids = []
    for hexadecimal in (forms & 1, forms & 2):
        if hexadecimal:
            ids.append(payload[at : at + 12].hex())
            at += 12
        else:
            ids.append(payload[at + 1 : at + 1 + payload[at]].decode())
            at += 1 + payload[at]
    valid_from, valid_until = struct.unpack(">II", payload[at:])
    return {
        "ticket_id": str(ticket_id),
        "event_id": ids[0],
        "ticket_type_id": ids[1],
        "valid_from": datetime.fromtimestamp(valid_from, UTC),
        "valid_until": datetime.fromtimestamp(valid_until, UTC),
    }


async def published_keys(client: httpx.AsyncClient) -> dict[bytes, Ed25519PublicKey]:
    response = await client.get("/.well-known/ticket-keys")
    assert response.status_code == 200
    keys = {}
    for jwk in response.json()["keys"]:
        assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
        keys[_b64url(jwk["kid"])[:2]] = Ed25519PublicKey.from_public_bytes(_b64url(jwk["x"]))
    return keys
