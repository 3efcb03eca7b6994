"""The web app in a real browser: the services as processes (tests/system), the app and every API on
one origin (Vite's preview server, as `make run` serves them), and Debian's Chromium, headless.

One browser for the package, a fresh context (its own sessionStorage) and page per test. A missing
browser fails the run: `make test` installs it (`make browser`).
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Dialog, Page, async_playwright

from scripts import webapp
from tests.accounts import DEV_ADMIN, Account
from tests.apps import wait_for
from tests.processes import ROOT
from tests.system.conftest import Services
from tests.system.conftest import services as services  # the five services as processes, for this package
from tests.tcp_proxy import free_port

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a-long-password"
# Where the tests save their screenshots of the main pages: .data/screenshots of each run, or
# WEB_SCREENSHOTS (web/screenshots refreshes the README's).
SCREENSHOTS = Path(os.environ.get("WEB_SCREENSHOTS") or ROOT / ".data" / "screenshots")


class OneOrigin:
    """The built app and the APIs on 127.0.0.1:`port`; `stop` and `start` cut and restore it."""

    def __init__(self, dist: Path, services: Services) -> None:
        self.dist = dist
        self.services = services
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            *webapp.preview_command(port=self.port, out=self.dist),
            cwd=webapp.WEB,
            env=webapp.preview_environment(self.services.urls),
            stdout=asyncio.subprocess.DEVNULL,
        )

        async def serving() -> bool:
            assert self._process is not None and self._process.returncode is None, "vite preview exited"
            try:
                async with httpx.AsyncClient(base_url=self.url) as client:
                    # The page, and an API through the proxy.
                    return (await client.get("/")).status_code == 200 and (
                        await client.get("/events")
                    ).status_code == 200
            except httpx.TransportError:
                return False

        await wait_for(serving, timeout=30)

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            process.terminate()
            await process.wait()


@pytest.fixture(scope="package")
async def origin(services: Services, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[OneOrigin]:
    """The app, built from the current sources, served with the APIs on one origin."""
    dist = tmp_path_factory.mktemp("web") / "dist"
    await asyncio.to_thread(webapp.build, dist)
    server = OneOrigin(dist, services)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture(scope="package")
def chromium() -> Path:
    """Debian's Chromium; never skipped when missing: the run fails, saying how to install it."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make browser` installs Debian's package")
    return CHROMIUM


@pytest.fixture(scope="package")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(chromium))
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def new_page(browser: Browser, origin: OneOrigin) -> AsyncIterator[Callable[..., Awaitable[Page]]]:
    """Returns a function opening a page in a browser context of its own (a separate person), in the
    time zone `timezone_id` when given (else the machine's)."""
    contexts: list[BrowserContext] = []

    async def open_page(timezone_id: str | None = None) -> Page:
        context = await browser.new_context(
            base_url=origin.url, viewport={"width": 1200, "height": 800}, timezone_id=timezone_id
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        opened = await context.new_page()
        # Shown with a failing test's output: what the page itself said.
        opened.on("console", lambda message: print(f"console {message.type}: {message.text}"))
        opened.on("pageerror", lambda error: print(f"page error: {error}"))
        return opened

    yield open_page
    for context in contexts:
        await context.close()


@pytest.fixture
async def page(new_page: Callable[..., Awaitable[Page]]) -> Page:
    return await new_page()


async def screenshot(page: Page, name: str) -> None:
    """Saves the page as `<name>.png` under SCREENSHOTS."""
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@dataclass(frozen=True)
class Platform:
    """The services' APIs, called directly to set the scene the browser then walks into."""

    services: Services
    client: httpx.AsyncClient

    async def register(self, *roles: str) -> Account:
        """Returns a new user (with `roles`, made by the admin), logged in."""
        name = f"w{uuid.uuid4().hex[:10]}"
        user = {"username": name, "email": f"{name}@example.com", "password": PASSWORD, "full_name": name}
        registered = await self.client.post(f"{self.services.user_service}/register", json=user)
        assert registered.status_code == 201, registered.text
        if roles:
            admin = await self.login(DEV_ADMIN["username"], DEV_ADMIN["password"])
            promoted = await self.client.patch(
                f"{self.services.user_service}/users/{registered.json()['id']}/roles",
                json={"roles": list(roles)},
                headers={"Authorization": f"Bearer {admin}"},
            )
            assert promoted.status_code == 200, promoted.text
        return Account(id=registered.json()["id"], username=name, token=await self.login(name, PASSWORD))

    async def login(self, username: str, password: str) -> str:
        answer = await self.client.post(
            f"{self.services.user_service}/login", json={"username": username, "password": password}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    async def publish_event(
        self, organizer: Account, *, days_ahead: int = 10, **overrides: Any
    ) -> dict[str, Any]:
        """Publishes an event `days_ahead` days ahead and returns it once the booking service sells it."""
        starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days_ahead)
        body = {
            "title": f"Rooftop Jazz {uuid.uuid4().hex[:6]}",
            "description": "Standards at sunset.",
            "venue": "Skyline Terrace",
            "category": "music",
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=3)).isoformat(),
            "capacity": 40,
            "price": 2500,
            "currency": "EUR",
            "max_tickets_per_booking": 4,
            "timezone": "Europe/Paris",
            **overrides,
        }
        created = await self.client.post(
            f"{self.services.event_service}/events", json=body, headers=organizer.headers
        )
        assert created.status_code == 201, created.text
        event = created.json()

        async def on_sale() -> bool:
            availability = await self.client.get(
                f"{self.services.booking_service}/events/{event['id']}/availability"
            )
            return availability.status_code == 200 and availability.json()["on_sale"]

        await wait_for(on_sale, timeout=30)
        return event

    async def add_catalogue(self, organizer: Account, event: dict[str, Any]) -> dict[str, Any]:
        """Adds a VIP type and the voucher JAZZ20 (20% off); returns the VIP type once it is on sale."""
        events = f"{self.services.event_service}/events/{event['id']}"
        voucher = await self.client.post(
            f"{events}/vouchers",
            json={"code": "JAZZ20", "max_usages": 10, "price_mode": "percent", "value": 20},
            headers=organizer.headers,
        )
        assert voucher.status_code == 201, voucher.text
        vip = await self.client.post(
            f"{events}/ticket-types", json={"name": "VIP", "price": 6000}, headers=organizer.headers
        )
        assert vip.status_code == 201, vip.text

        async def selling() -> bool:
            availability = await self.client.get(
                f"{self.services.booking_service}/events/{event['id']}/availability"
            )
            return vip.json()["id"] in availability.text

        await wait_for(selling, timeout=30)
        return vip.json()

    async def book(self, attendee: Account, event: dict[str, Any], tickets: int = 1) -> dict[str, Any]:
        booked = await self.client.post(
            f"{self.services.booking_service}/bookings",
            json={"event_id": event["id"], "tickets": tickets},
            headers=attendee.headers,
        )
        assert booked.status_code == 201, booked.text
        return booked.json()

    async def knows_event(self, organizer: Account, event: dict[str, Any]) -> bool:
        """Whether the check-in service has heard of the event."""
        url = f"{self.services.checkin_service}/events/{event['id']}/checkin-lists"
        return (await self.client.get(url, headers=organizer.headers)).status_code == 200

    async def checkin_list(self, organizer: Account, event: dict[str, Any], name: str) -> dict[str, Any]:
        """Adds the check-in list `name` to the event, once the check-in service knows it."""
        await wait_for(lambda: self.knows_event(organizer, event), timeout=30)
        made = await self.client.post(
            f"{self.services.checkin_service}/events/{event['id']}/checkin-lists",
            json={"name": name},
            headers=organizer.headers,
        )
        assert made.status_code == 201, made.text
        return made.json()

    async def ticket_secrets(self, attendee: Account, booking: dict[str, Any]) -> list[str]:
        """The codes of the booking's valid tickets: none until they are issued, or once revoked."""
        answer = await self.client.get(
            f"{self.services.checkin_service}/bookings/{booking['id']}/tickets", headers=attendee.headers
        )
        items = answer.json()["items"] if answer.status_code == 200 else []
        return [ticket["secret"] for ticket in items if ticket["status"] == "valid"]

    async def notifications(self, account: Account) -> list[dict[str, Any]]:
        answer = await self.client.get(
            f"{self.services.notification_service}/notifications",
            params={"limit": 100},
            headers=account.headers,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["items"]


@pytest.fixture(scope="package")
async def platform(services: Services) -> AsyncIterator[Platform]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield Platform(services, client)


@pytest.fixture(scope="package")
async def organizer(platform: Platform) -> Account:
    return await platform.register("organizer")


async def unlabelled_controls(page: Page) -> list[str]:
    """The names of the page's form controls that no label names."""
    return await page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
            .filter((control) => control.labels.length === 0 && !control.getAttribute("aria-label"))
            .map((control) => control.name)"""
    )


async def sign_in(page: Page, account: Account, *, path: str = "/") -> None:
    """Signs `account` in through the sign-in page, coming back to `path`."""
    await page.goto(f"/sign-in?next={path}")
    await page.get_by_label("Username or email").fill(account.username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name=f"Sign out {account.username}").wait_for()


def accept_next_dialog(page: Page) -> None:
    """Accepts the next dialog `page` opens (a confirm), which Playwright would otherwise dismiss."""

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    page.once("dialog", accept)
