"""Ticket secrets: a packed binary payload signed with this service's Ed25519 key, in base32.

Layout (docs/checkin.md): version (1 byte), id forms (1 byte), the first 2 bytes of the key's
thumbprint, the ticket id (16), the event id and the ticket type id (12 bytes each when they are
24 hex digits, as the event service's are, else a length byte and UTF-8), valid from and valid
until (unsigned 32-bit seconds since the epoch, big-endian), then the 64-byte signature of all that.
"""

import base64
import binascii
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.keys import Ed25519Key

VERSION = 1
KEY_PREFIX_BYTES = 2
SIGNATURE_BYTES = 64
# A secret longer than this is no secret of ours, and is not decoded.
MAX_SECRET_CHARS = 400
_HEX_ID = re.compile(r"[0-9a-f]{24}")
_EVENT_ID_IS_HEX = 0b01
_TYPE_ID_IS_HEX = 0b10
_VALIDITY = struct.Struct(">II")


class InvalidSecretError(Exception):
    """The secret does not decode, or its signature is not one of our keys'."""


@dataclass(frozen=True)
class TicketClaims:
    """What a secret says: which ticket, of which event and type, and when it admits."""

    ticket_id: uuid.UUID
    event_id: str
    ticket_type_id: str
    valid_from: datetime
    valid_until: datetime


def _pack_id(value: str) -> tuple[bool, bytes]:
    if _HEX_ID.fullmatch(value):
        return True, bytes.fromhex(value)
    encoded = value.encode()
    return False, bytes([len(encoded)]) + encoded


def _unpack_id(data: bytes, at: int, hexadecimal: bool) -> tuple[str, int]:
    if hexadecimal:
        if len(data) < at + 12:
            raise InvalidSecretError("truncated")
        return data[at : at + 12].hex(), at + 12
    if len(data) < at + 1 or len(data) < at + 1 + data[at]:
        raise InvalidSecretError("truncated")
    end = at + 1 + data[at]
    try:
        return data[at + 1 : end].decode(), end
    except UnicodeDecodeError as exc:
        raise InvalidSecretError("not UTF-8") from exc


def _encode(data: bytes) -> str:
    # Base32's alphabet is in the QR code's alphanumeric mode, which packs 5.5 bits a character
    # where base64url needs the byte mode's 8: the code is smaller, read from further away.
    return base64.b32encode(data).decode().rstrip("=")


def _decode(secret: str) -> bytes:
    if len(secret) > MAX_SECRET_CHARS:
        raise InvalidSecretError("too long")
    padded = secret.upper() + "=" * (-len(secret) % 8)
    try:
        return base64.b32decode(padded)
    except (binascii.Error, ValueError) as exc:
        raise InvalidSecretError("not base32") from exc


def _seconds(moment: datetime) -> int:
    return min(max(int(moment.timestamp()), 0), 2**32 - 1)


def sign(key: Ed25519Key, claims: TicketClaims) -> str:
    """Returns the secret of `claims`, signed with `key`."""
    event_hex, event_id = _pack_id(claims.event_id)
    type_hex, type_id = _pack_id(claims.ticket_type_id)
    forms = (_EVENT_ID_IS_HEX if event_hex else 0) | (_TYPE_ID_IS_HEX if type_hex else 0)
    payload = b"".join(
        (
            bytes([VERSION, forms]),
            key.thumbprint[:KEY_PREFIX_BYTES],
            claims.ticket_id.bytes,
            event_id,
            type_id,
            _VALIDITY.pack(_seconds(claims.valid_from), _seconds(claims.valid_until)),
        )
    )
    return _encode(payload + key.private_key.sign(payload))


def verify(secret: str, keys: dict[bytes, Ed25519PublicKey]) -> TicketClaims:
    """Returns the claims of `secret` if one of `keys` (by thumbprint prefix) signed it."""
    data = _decode(secret)
    if len(data) < 4 + 16 + SIGNATURE_BYTES or data[0] != VERSION:
        raise InvalidSecretError("not a ticket secret of a known version")
    payload, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    key = keys.get(payload[2 : 2 + KEY_PREFIX_BYTES])
    if key is None:
        raise InvalidSecretError("signed by an unknown key")
    try:
        key.verify(signature, payload)
    except InvalidSignature as exc:
        raise InvalidSecretError("bad signature") from exc
    forms = payload[1]
    at = 2 + KEY_PREFIX_BYTES
    ticket_id = uuid.UUID(bytes=payload[at : at + 16])
    event_id, at = _unpack_id(payload, at + 16, bool(forms & _EVENT_ID_IS_HEX))
    ticket_type_id, at = _unpack_id(payload, at, bool(forms & _TYPE_ID_IS_HEX))
    if len(payload) != at + _VALIDITY.size:
        raise InvalidSecretError("wrong length")
    valid_from, valid_until = _VALIDITY.unpack_from(payload, at)
    return TicketClaims(
        ticket_id=ticket_id,
        event_id=event_id,
        ticket_type_id=ticket_type_id,
        valid_from=datetime.fromtimestamp(valid_from, UTC),
        valid_until=datetime.fromtimestamp(valid_until, UTC),
    )
