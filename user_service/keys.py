"""The Ed25519 key that signs access tokens, and its public form for the JWKS."""

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from shared.auth import ALGORITHM


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey

    def sign(self, claims: dict[str, Any]) -> str:
        """Returns a JWT of `claims` signed with this key and naming its `kid`."""
        return jwt.encode(claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @cached_property
    def public_jwk(self) -> dict[str, Any]:
        jwk = OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    @cached_property
    def kid(self) -> str:
        """The RFC 7638 thumbprint of the public key, so the id changes whenever the key does."""
        jwk = OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _from_pem(pem: bytes) -> SigningKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("SIGNING_KEY must be an Ed25519 private key in PEM")
    return SigningKey(key)


def load_signing_key(*, pem: str | None, path: Path) -> SigningKey:
    """Returns the key from `pem` when given, else from `path`, creating that file on first use."""
    if pem:
        # Env files hold one line per value, so a PEM may arrive with its newlines escaped.
        return _from_pem(pem.replace("\\n", "\n").encode())
    if path.exists():
        return _from_pem(path.read_bytes())
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
    return SigningKey(key)
