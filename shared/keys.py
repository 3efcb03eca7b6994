"""Ed25519 private keys of a service: loaded from PEM or a file made on first use, and their public JWK."""

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# The JOSE name of Ed25519 signatures (RFC 8037).
ALGORITHM = "EdDSA"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Ed25519Key:
    """A private key, with what the world needs to verify its signatures: the public JWK and its `kid`."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @cached_property
    def public_bytes(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @cached_property
    def public_jwk(self) -> dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(self.public_bytes), "kid": self.kid}

    @cached_property
    def thumbprint(self) -> bytes:
        """The RFC 7638 SHA-256 thumbprint of the public key, so the id changes whenever the key does."""
        members = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(self.public_bytes)}
        return hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest()

    @cached_property
    def kid(self) -> str:
        return _b64url(self.thumbprint)

    def jwk(self, **members: Any) -> dict[str, Any]:
        """The public JWK with `members` added (`use`, `alg`)."""
        return {**self.public_jwk, **members}


def _from_pem(pem: bytes, setting: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{setting} must be an Ed25519 private key in PEM")
    return key


def load_private_key(*, pem: str | None, path: Path, setting: str) -> Ed25519PrivateKey:
    """Returns the key from `pem` when given, else from `path`, creating that file on first use.

    `setting` names the environment variable of `pem`, for the error a wrong key raises.
    """
    if pem:
        # Env files hold one line per value, so a PEM may arrive with its newlines escaped.
        return _from_pem(pem.replace("\\n", "\n").encode(), setting)
    if path.exists():
        return _from_pem(path.read_bytes(), f"{setting}_FILE")
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return key
