"""Where a webhook may point: in production an https URL whose host resolves only to public addresses.

Checked when the URL is given and again at every delivery, which then connects to the very address it
checked (the host still named in `Host` and TLS SNI), so a name that later resolves elsewhere (DNS
rebinding) cannot turn a delivery towards the platform's own network.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

RESOLVE_TIMEOUT_SECONDS = 3.0
MAX_URL_LENGTH = 2000


class WebhookUrlError(ValueError):
    """A webhook URL that may not be used; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where to send: the URL with its host replaced by the checked address, and the host it names."""

    url: str
    host: str  # for the `Host` header, with its port if the URL names one
    hostname: str  # for TLS: the name sent (SNI) and checked against the certificate


def check_shape(url: str, *, public_only: bool) -> SplitResult:
    """Returns the URL split; raises `WebhookUrlError` if its scheme, host or parts may not be used."""
    if any(character.isspace() or not character.isprintable() for character in url):
        raise WebhookUrlError("The URL may not hold spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a bracketed host that is no IPv6 address, a port out of range
        raise WebhookUrlError(f"The URL is not valid: {exc}") from exc
    if port == 0:
        raise WebhookUrlError("The URL's port must be between 1 and 65535")
    allowed = ("https",) if public_only else ("https", "http")
    if parts.scheme not in allowed:
        raise WebhookUrlError(f"The URL must start with {' or '.join(f'{s}://' for s in allowed)}")
    if not parts.hostname:
        raise WebhookUrlError("The URL names no host")
    if parts.username or parts.password:
        raise WebhookUrlError("The URL may not hold a user name or password")
    if parts.fragment:
        raise WebhookUrlError("The URL may not hold a #fragment")
    return parts


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # `is_global` leaves out loopback, private, link-local (the cloud metadata address 169.254.169.254
    # among them), shared (100.64/10), reserved and documentation ranges; an IPv4 address written as
    # IPv6 is judged as itself.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def _resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, UnicodeError) as exc:  # UnicodeError: a label empty or too long
        raise WebhookUrlError(f"The host {host} does not resolve") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def resolve_target(url: str, *, public_only: bool) -> Target:
    """Checks the URL and resolves its host; returns where to connect.

    With `public_only`, every address the host resolves to must be public; otherwise (development)
    any address is allowed, `http://127.0.0.1` included.
    """
    parts = check_shape(url, public_only=public_only)
    host = parts.hostname
    assert host is not None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await _resolve(host, port)
    if public_only:
        private = [a for a in addresses if not _is_public(ipaddress.ip_address(a.split("%", 1)[0]))]
        if private:
            raise WebhookUrlError(f"The host {host} resolves to {private[0]}, which is not a public address")
    address = addresses[0]
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return Target(url=parts._replace(netloc=netloc).geturl(), host=parts.netloc, hostname=host)
