"""`make env`: writes `.env` with fresh production secrets for `docker compose up`.

Refuses to overwrite an existing file, so secrets already in use are never lost.
"""

import json
import secrets
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def production_env() -> dict[str, str]:
    """Returns every secret the Compose stack needs, freshly generated."""
    signing_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    booking_secret = secrets.token_urlsafe(32)
    return {
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": secrets.token_urlsafe(18),
        # One line, with the PEM's newlines escaped: env files hold one value per line.
        "SIGNING_KEY": signing_key.decode().strip().replace("\n", "\\n"),
        "SERVICE_CLIENTS": json.dumps({"booking_service": booking_secret}),
        "SERVICE_CLIENT_SECRET": booking_secret,
    }


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    if target.exists():
        print(f"{target} exists; remove it first to generate new secrets.", file=sys.stderr)
        return 1
    lines = [f"{name}='{value}'" for name, value in production_env().items()]
    target.write_text("\n".join(lines) + "\n")
    target.chmod(0o600)
    print(f"Wrote {target}; the admin password is in ADMIN_PASSWORD.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
