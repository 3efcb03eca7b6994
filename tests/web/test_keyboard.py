"""Every step of signing in, and the door's check-in, works from the keyboard alone; every form
control of every page has a label."""

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.apps import wait_for
from tests.web.conftest import PASSWORD, Platform, sign_in, unlabelled_controls

MAX_TABS = 30


async def _tab_to(page: Page, text: str, key: str = "Tab") -> None:
    """Presses `key` (Tab, or Shift+Tab to go back) until the focused element reads `text`."""
    for _ in range(MAX_TABS):
        await page.keyboard.press(key)
        focused = await page.evaluate("document.activeElement?.textContent?.trim() ?? ''")
        if focused == text:
            return
    raise AssertionError(f"{text!r} never took the focus in {MAX_TABS} tabs")


async def test_signing_in_with_the_keyboard_only(page: Page, platform: Platform) -> None:
    attendee = await platform.register()
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()

    await _tab_to(page, "Sign in")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The first field has the focus: type, Tab to the password, Enter submits.
    await page.keyboard.type(attendee.username)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("button", name=f"Sign out {attendee.username}")).to_be_visible()
    # The focus moved to the page signed in to; the navigation is just before it.
    await expect(page.locator("#main")).to_be_focused()
    await _tab_to(page, "My bookings", key="Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="My bookings")).to_be_visible()


async def _door(platform: Platform, boss: Account) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    """An event of `boss`'s starting in three hours (its tickets valid at the door), a booking of
    theirs of one ticket, once issued, and a check-in list; returns them and the ticket's code."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    event = await platform.publish_event(
        boss, starts_at=starts.isoformat(), ends_at=(starts + timedelta(hours=2)).isoformat()
    )
    booking = await platform.book(boss, event)
    [secret] = await wait_for(lambda: platform.ticket_secrets(boss, booking), timeout=30)
    checkin_list = await platform.checkin_list(boss, event, "Main entrance")
    return event, booking, checkin_list["id"], secret


async def _offered(platform: Platform, attendee: Account, organizer: Account) -> None:
    """Makes `attendee` an offer from the waiting list of a sold-out event."""
    event = await platform.publish_event(organizer, capacity=1, max_tickets_per_booking=1)
    booker = await platform.register()
    booking = await platform.book(booker, event)
    joined = await platform.client.post(
        f"{platform.services.booking_service}/events/{event['id']}/waiting-list",
        json={"ticket_type_id": event["id"], "quantity": 1},
        headers=attendee.headers,
    )
    assert joined.status_code == 201, joined.text
    cancelled = await platform.client.post(
        f"{platform.services.booking_service}/bookings/{booking['id']}/cancel", headers=booker.headers
    )
    assert cancelled.status_code == 200, cancelled.text

    async def offer() -> bool:
        entries = await platform.client.get(
            f"{platform.services.booking_service}/waiting-list", headers=attendee.headers
        )
        return entries.json()["items"][0]["offer"] is not None

    await wait_for(offer, timeout=30)


async def test_every_form_control_has_a_label(page: Page, platform: Platform, organizer: Account) -> None:
    for path in ("/", "/sign-in", "/sign-up"):
        await page.goto(path)
        await expect(page.locator("main form").first).to_be_visible()
        assert await unlabelled_controls(page) == [], path

    # Signed in as someone who is all at once: admin, organizer, attendee and door staff.
    boss = await platform.register("admin", "organizer")
    event, booking, list_id, _ = await _door(platform, boss)
    await _offered(platform, boss, organizer)
    await sign_in(page, boss)
    pages = {
        "/admin": "Roles",
        "/my/account": "My account",
        "/my/bookings": "My bookings",
        f"/my/bookings/{booking['id']}/tickets": f"Tickets for {event['title']}",
        "/my/inbox": "Inbox",
        "/my/waiting-list": "My waiting list",
        "/organize": "My events",
        "/organize/new": "New event",
        f"/organize/{event['id']}": event["title"],
        f"/organize/{event['id']}/dashboard": f"Dashboard: {event['title']}",
        f"/organize/{event['id']}/checkin": f"Check-in: {event['title']}",
        f"/organize/{event['id']}/checkin/{list_id}": "Attendees: Main entrance",
        f"/door/{list_id}": "Check-in: Main entrance",
        "/organize/webhooks": "Webhooks",
    }
    for path, heading in pages.items():
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert await unlabelled_controls(page) == [], path


async def test_checking_a_ticket_in_at_the_door_with_the_keyboard_only(
    page: Page, platform: Platform
) -> None:
    boss = await platform.register("organizer")
    _, _, list_id, secret = await _door(platform, boss)
    await sign_in(page, boss, path=f"/door/{list_id}")
    verdict = page.get_by_role("status", name="Verdict")

    # The code field has the focus: type the code, Enter checks it in, and the focus is back for the next.
    for result, text in (("ok", "OK: let them in"), ("already_checked_in", "Already checked in")):
        await expect(page.get_by_label("Ticket code")).to_be_focused()
        await page.keyboard.type(secret)
        await page.keyboard.press("Enter")
        await expect(verdict).to_have_attribute("data-result", result)
        await expect(verdict).to_contain_text(text)
        await expect(page.get_by_label("Ticket code")).to_have_value("")
