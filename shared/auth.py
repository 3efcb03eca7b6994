"""Access-token verification for every service, and the FastAPI dependencies built on it.

Only the user service signs tokens. Everyone else verifies them locally against the public keys it
publishes at `/.well-known/jwks.json`, cached and refetched when a token names an unknown `kid`.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from shared.settings import ServiceSettings

ALGORITHM = "EdDSA"
SERVICE_ROLE = "service"
ADMIN_ROLE = "admin"
REQUIRED_CLAIMS = ["sub", "username", "roles", "exp", "iat", "iss", "aud"]

KeySource = Callable[[str], Awaitable[Any]]


class InvalidTokenError(Exception):
    """The token is missing, malformed, expired, or not signed by the user service."""


class KeysUnavailableError(Exception):
    """The user service's public keys cannot be fetched right now."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user, or a service acting under its own identity."""

    id: str
    username: str
    roles: frozenset[str]
    # When the token stops being valid, in seconds since the epoch (its `exp`).
    expires_at: float = float("inf")

    @property
    def is_service(self) -> bool:
        return SERVICE_ROLE in self.roles

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles


def jwks_key_source(
    jwks_url: str,
    cache_seconds: float = 27,
    refetch_cooldown_seconds: float = 5,
    max_unknown_kids: int = 10_000,
) -> KeySource:
    """Returns a key source backed by the JWKS at `jwks_url`, refetched when a token names an unknown kid.

    Known keys are answered from memory without a thread; fetches run one at a time on the event
    loop's executor, never on the request thread pool, so a service that waits for keys cannot starve
    the pool the user service (possibly in the same process) needs to answer.

    A key is kept `cache_seconds`, and so is the key set it came from: a key removed from the JWKS
    stops verifying within twice that, a minute by default. An unknown kid refetches the set at most
    once per `refetch_cooldown_seconds` (PyJWT's cooldown, 2.14+), and is then remembered as unknown
    as long, up to `max_unknown_kids` of them: a flood of tokens with made-up kids costs the user
    service one fetch per cooldown, and this service neither a thread nor a wait per token.
    """
    client = jwt.PyJWKClient(
        jwks_url,
        # Not PyJWT's per-kid cache: it never expires, so a removed key would verify on forever.
        cache_keys=False,
        lifespan=cache_seconds,
        timeout=5,
        cooldown_duration=refetch_cooldown_seconds,
    )
    known: dict[str, tuple[Any, float]] = {}  # kid -> (key, when it is to be looked up again)
    unknown: dict[str, float] = {}  # kid -> when it may be looked up again; oldest first
    fetching = asyncio.Lock()

    def cached(kid: str) -> Any | None:
        now = time.monotonic()
        key, fresh_until = known.get(kid, (None, 0.0))
        if now < fresh_until:
            return key
        if now < unknown.get(kid, 0.0):
            raise InvalidTokenError("Token signed by an unknown key")
        return None

    def remember_unknown(kid: str) -> None:
        now = time.monotonic()
        unknown.pop(kid, None)
        while unknown and (len(unknown) >= max_unknown_kids or next(iter(unknown.values())) <= now):
            del unknown[next(iter(unknown))]
        unknown[kid] = now + refetch_cooldown_seconds

    async def key_for(kid: str) -> Any:
        if (key := cached(kid)) is not None:
            return key
        async with fetching:
            if (key := cached(kid)) is not None:
                return key
            try:
                signing_key = await asyncio.get_running_loop().run_in_executor(
                    None, client.get_signing_key, kid
                )
            except jwt.PyJWKClientConnectionError as exc:
                raise KeysUnavailableError(str(exc)) from exc
            except jwt.PyJWKClientError as exc:
                remember_unknown(kid)
                raise InvalidTokenError("Token signed by an unknown key") from exc
            known[kid] = (signing_key.key, time.monotonic() + cache_seconds)
            return signing_key.key

    return key_for


# A verified token is remembered this long (or until it expires, if sooner): the calls of one visit,
# a hold and its payment, repeat one token, and PyJWT verifies an Ed25519 signature in 0.2 to 0.7 ms
# of CPU here. It stays short, so a key removed from the JWKS stops verifying soon after (see below).
REMEMBER_TOKEN_SECONDS = 5.0
MAX_REMEMBERED_TOKENS = 10_000


class TokenVerifier:
    def __init__(
        self,
        *,
        key_source: KeySource,
        issuer: str,
        audience: str,
        remember_seconds: float = REMEMBER_TOKEN_SECONDS,
    ) -> None:
        self.key_source = key_source
        self.issuer = issuer
        self.audience = audience
        self.remember_seconds = remember_seconds
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> (principal, until)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "TokenVerifier":
        """Returns a verifier against the user service's JWKS named in the settings."""
        return cls(
            key_source=jwks_key_source(settings.jwks_url),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )

    async def verify(self, token: str) -> Principal:
        """Returns the principal the token names; raises `InvalidTokenError` if it is not valid."""
        remembered = self._verified.get(token)
        if remembered is not None:
            if time.time() < remembered[1]:
                return remembered[0]
            del self._verified[token]
        principal = await self._verify_signed(token)
        self._verified[token] = (principal, min(principal.expires_at, time.time() + self.remember_seconds))
        if len(self._verified) > MAX_REMEMBERED_TOKENS:
            del self._verified[next(iter(self._verified))]
        return principal

    async def _verify_signed(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            if not isinstance(kid, str):
                raise InvalidTokenError("Token has no key id")
            claims = jwt.decode(
                token,
                await self.key_source(kid),
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(str(exc)) from exc
        return Principal(
            id=claims["sub"],
            username=claims["username"],
            roles=frozenset(claims["roles"]),
            expires_at=float(claims["exp"]),
        )


# tokenUrl is relative so the "Authorize" button works wherever /login is served: the user
# service itself, or the gateway in front of every service.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/login", auto_error=False)

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


async def get_principal(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    """Returns the verified caller; 401 without a valid token."""
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Not authenticated", headers=_UNAUTHORIZED)
    try:
        return await request.app.state.token_verifier.verify(token)
    except InvalidTokenError as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Invalid or expired token", headers=_UNAUTHORIZED
        ) from exc
    except KeysUnavailableError as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "Cannot reach the user service to verify the token"
        ) from exc


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: CurrentPrincipal) -> Principal:
    """Returns the calling user; a service identity is refused (403)."""
    if principal.is_service:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "A service identity cannot act as a user")
    return principal


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """Returns a dependency admitting callers with one of `roles`; admins are always admitted."""
    allowed = frozenset(roles) | {ADMIN_ROLE}

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.roles & allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"Requires one of the roles: {', '.join(sorted(allowed))}"
            )
        return principal

    return check
