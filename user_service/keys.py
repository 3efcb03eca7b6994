"""The Ed25519 key that signs access tokens, and its public form for the JWKS."""

from functools import cached_property
from pathlib import Path
from typing import Any

import jwt

from shared.auth import ALGORITHM
from shared.keys import Ed25519Key, load_private_key


class SigningKey(Ed25519Key):
    def sign(self, claims: dict[str, Any]) -> str:
        """Returns a JWT of `claims` signed with this key and naming its `kid`."""
        return jwt.encode(claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})

    @cached_property
    def public_jwk(self) -> dict[str, str]:
        return {**super().public_jwk, "use": "sig", "alg": ALGORITHM}


def load_signing_key(*, pem: str | None, path: Path) -> SigningKey:
    """Returns the key from `pem` when given, else from `path`, creating that file on first use."""
    return SigningKey(load_private_key(pem=pem, path=path, setting="SIGNING_KEY"))
