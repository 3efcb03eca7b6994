"""Which webhook URLs production accepts: https, to hosts that resolve to public addresses only."""

import pytest

from notification_service.webhook_urls import WebhookUrlError, resolve_target


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/x",  # loopback
        "https://[::1]/x",
        "https://10.0.0.8/x",  # private
        "https://172.16.5.4/x",
        "https://192.168.1.1/x",
        "https://[fd00::1]/x",
        "https://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
        "https://[fe80::1]/x",
        "https://100.64.0.1/x",  # shared address space (carrier NAT)
        "https://0.0.0.0/x",
        "https://[::ffff:10.0.0.1]/x",  # a private IPv4 address written as IPv6
        "https://224.0.0.1/x",  # multicast
        "https://localhost/x",
    ],
)
async def test_production_refuses_a_host_that_is_not_public(url: str) -> None:
    with pytest.raises(WebhookUrlError, match="not a public address"):
        await resolve_target(url, public_only=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://8.8.8.8/x", "must start with https://"),
        ("https://user:secret@8.8.8.8/x", "user name or password"),
        ("https://8.8.8.8/x#part", "fragment"),
        ("https:///x", "names no host"),
        ("https://[::1/x", "not valid"),
        ("https://8.8.8.8:99999/x", "not valid"),
        ("https://8.8.8.8:0/x", "between 1 and 65535"),
        ("https://exa mple.com/x", "spaces or control characters"),
        ("https://8.8.8.8/x\r\nX-Injected: 1", "spaces or control characters"),
        ("https://" + "a" * 300 + ".example/x", "does not resolve"),
        ("https://a..b/x", "does not resolve"),
    ],
)
async def test_production_refuses_a_url_of_the_wrong_shape(url: str, reason: str) -> None:
    with pytest.raises(WebhookUrlError, match=reason):
        await resolve_target(url, public_only=True)


async def test_a_public_address_is_kept_and_connected_to_by_address_with_the_host_named() -> None:
    target = await resolve_target("https://8.8.8.8:8443/hooks?x=1", public_only=True)

    assert (target.url, target.host, target.hostname) == (
        "https://8.8.8.8:8443/hooks?x=1",
        "8.8.8.8:8443",
        "8.8.8.8",
    )


async def test_development_allows_the_local_host_over_http() -> None:
    target = await resolve_target("http://localhost:8080/hook", public_only=False)

    assert target.url in ("http://127.0.0.1:8080/hook", "http://[::1]:8080/hook")
    assert (target.host, target.hostname) == ("localhost:8080", "localhost")
